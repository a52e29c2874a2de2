"""A labelled zh/en corpus of person names and postal addresses, for ``benchmarks/pii_names.py``.

Kept apart from the recognizers on purpose: every list here was typed for this file, not
imported from ``assess.pii.lexicon`` (which the recognizers use), and ``tests`` check that this
module imports nothing from ``assess``. The Chinese surnames include rarer ones that the
recognizers' surname list does not have (阚, 晁, 练, 笪, 牧, ...), the English given names come
from many languages (Priya, Olusegun, Siobhan, Takeshi), most of which the recognizers' list of
common US given names does not have, and the street names, districts and communities are real-looking
names written by hand. The sentence templates were written by hand to look like customer-service
messages: names at the start, middle and end, with a title, after a role word, with no context
word at all; addresses in full and in the shortened forms people type.

Each record is ``(text, [(start, end, type)])`` with type ``PERSON`` or ``LOCATION``; about a
third of the records hold no name or address but words that look like one (王者荣耀, 高兴, Main
Street Bank, Jordan shoes).
"""

from __future__ import annotations

import random

ZH_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田"
    "任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
    "阚晁练笪牧仝蔺逯佴鄢訾郦隗"
)
ZH_COMPOUND = ("欧阳", "司马", "上官", "诸葛", "慕容", "东方", "端木", "公孙")
ZH_GIVEN = (
    "建国", "晓红", "伟", "芳", "秀英", "志强", "海燕", "子涵", "一鸣", "雨萱", "浩然", "思彤", "国庆", "桂兰",
    "明", "静怡", "俊杰", "美玲", "家豪", "晨曦", "嘉怡", "文斌", "春梅", "立新", "德华", "小龙", "婷婷", "宇航",
    "佳慧", "振宇", "玉珍", "永福", "欣妍", "若曦", "天佑", "梦瑶", "泽楷", "丽君", "少华", "红霞", "鹏", "磊",
    "琳", "洁", "勇", "军", "慧敏", "海波", "金凤", "长青", "凤英", "新民", "雪梅", "一帆", "书瑶", "博文",
)
EN_FIRST = (
    "Priya", "Olusegun", "Siobhan", "Takeshi", "Mateo", "Ingrid", "Kwame", "Anneliese", "Rajesh", "Fatima",
    "Dmitri", "Leilani", "Connor", "Margot", "Tobias", "Yuki", "Esperanza", "Declan", "Amara", "Lars",
    "Beatriz", "Hamza", "Clementine", "Desmond", "Wren", "Imogen", "Bartholomew", "Nadia", "Oskar", "Rosalind",
    "Thabo", "Giulia", "Eamon", "Soraya", "Felix", "Harriet", "Malik", "Annika", "Ruben", "Colette",
    "Mary", "John", "Linda", "Robert", "Karen", "Steven", "Helen", "Kevin", "Laura", "Brian",
)
EN_LAST = (
    "Natarajan", "Adeyemi", "O'Sullivan", "Yamamoto", "Fernandez", "Lindqvist", "Mensah", "Hoffmann", "Kapoor",
    "Haddad", "Volkov", "Kahale", "McAllister", "Dubois", "Bergstrom", "Tanaka", "Castillo", "Gallagher",
    "Okafor", "Johansson", "Alves", "Rahman", "Whitfield", "Ashworth", "Pemberton", "Kowalski", "Novak",
    "Brennan", "Rossi", "Mbeki", "Lindgren", "Fitzgerald", "Quintero", "Hargreaves", "Sato", "Delacroix",
    "Morrison", "Kim", "Nguyen", "Patel", "Walker", "Cooper", "Reyes", "Baker", "Hughes", "Price",
)

ZH_PROVINCES = (("浙江省", "杭州市", ("西湖区", "拱墅区", "滨江区")), ("江苏省", "苏州市", ("姑苏区", "吴中区", "工业园区")),
                ("广东省", "佛山市", ("禅城区", "南海区", "顺德区")), ("四川省", "绵阳市", ("涪城区", "游仙区")),
                ("湖北省", "宜昌市", ("西陵区", "伍家岗区")), ("山东省", "烟台市", ("芝罘区", "莱山区")),
                ("河南省", "洛阳市", ("涧西区", "洛龙区", "老城区")), ("福建省", "泉州市", ("丰泽区", "鲤城区")),
                ("辽宁省", "大连市", ("中山区", "甘井子区")), ("安徽省", "芜湖市", ("镜湖区", "鸠江区")))
ZH_MUNICIPALITIES = (("北京市", ("朝阳区", "海淀区", "丰台区", "通州区")), ("上海市", ("徐汇区", "闵行区", "杨浦区", "静安区")),
                     ("天津市", ("南开区", "河西区")), ("重庆市", ("渝中区", "江北区", "沙坪坝区")))
ZH_ROADS = ("文一西路", "体育西路", "漕溪北路", "解放大道", "人民中路", "建设二路", "学府街", "黄河东路", "滨江大道",
            "望京街", "青年路", "凤凰北街", "新华路", "长江西路", "梧桐巷", "和平里东街", "迎宾大道", "光明路",
            "南京东路", "中山北一路", "金沙江路", "胜利街", "幸福路", "东三环中路")
ZH_COMMUNITIES = ("阳光花园", "翠湖小区", "金色家园", "望京西园三区", "碧桂园", "万科城", "紫荆苑", "锦绣江南",
                  "幸福里小区", "东方名城", "绿地新都会", "龙湖天街", "桃源新村", "橡树湾")
ZH_TOWNS = (("河南省周口市郸城县", "汲冢镇", "李楼村"), ("湖南省邵阳市隆回县", "桃洪镇", "新田村"),
            ("江西省赣州市于都县", "贡江镇", "上欧村"), ("河北省保定市清苑区", "冉庄镇", "东孙庄村"))

EN_STREETS = ("Elmwood", "Kingsley", "Birchwood", "Harbor View", "Willowbrook", "Chestnut", "Magnolia", "Juniper",
              "Old Mill", "Fairmount", "Sycamore", "Laurel Canyon", "Ridgecrest", "Bayshore", "Foxhollow",
              "Martin Luther King Jr", "Peachtree", "Lexington", "Kensington", "Greenleaf")
EN_SUFFIXES = ("Street", "St.", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Drive", "Dr.",
               "Court", "Way", "Place", "Terrace", "Parkway", "Circle", "Trail")
EN_CITIES = (("Cleveland", "OH", "441"), ("Tacoma", "WA", "984"), ("Boise", "ID", "837"), ("Savannah", "GA", "314"),
             ("Ann Arbor", "MI", "481"), ("Flagstaff", "AZ", "860"), ("Burlington", "VT", "054"),
             ("Santa Fe", "NM", "875"), ("Duluth", "MN", "558"), ("Asheville", "NC", "288"))
UK_TOWNS = (("Leeds", "LS6 2AB"), ("Bristol", "BS8 1TH"), ("Norwich", "NR2 4PD"), ("York", "YO31 7EW"))


def zh_name(rng: random.Random) -> str:
    surname = rng.choice(ZH_COMPOUND) if rng.random() < 0.04 else rng.choice(ZH_SURNAMES)
    return surname + rng.choice(ZH_GIVEN)


def en_name(rng: random.Random) -> str:
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def zh_address(rng: random.Random) -> str:
    form = rng.randrange(7)
    number = rng.randint(1, 688)
    room = f"{rng.randint(1, 32)}{rng.randint(0, 2)}{rng.randint(1, 8)}"
    if rng.random() < 0.6:
        province, city, districts = rng.choice(ZH_PROVINCES)
        prefix = (province if rng.random() < 0.5 else "") + city
        district = rng.choice(districts)
    else:
        city, districts = rng.choice(ZH_MUNICIPALITIES)
        prefix, district = city, rng.choice(districts)
    road = rng.choice(ZH_ROADS)
    if form == 0:
        return f"{prefix}{district}{road}{number}号"
    if form == 1:
        return f"{prefix}{district}{road}{number}号{rng.randint(1, 12)}栋{room}室"
    if form == 2:  # no city, community and building
        return f"{district}{rng.choice(ZH_COMMUNITIES)}{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元{room}"
    if form == 3:  # city shortened ("上海徐汇"), road and number
        return f"{prefix.rstrip('市')}{district.rstrip('区')}{road}{number}号"
    if form == 4:  # rural
        county, town, village = rng.choice(ZH_TOWNS)
        return f"{county}{town}{village}{rng.randint(1, 9)}组{rng.randint(1, 80)}号"
    if form == 5:  # community and building number only
        return f"{prefix}{rng.choice(ZH_COMMUNITIES)}{rng.randint(1, 30)}号楼{room}室"
    return f"{road}{number}号院{rng.randint(1, 9)}号楼{rng.randint(1, 6)}单元"


def en_address(rng: random.Random) -> str:
    number = rng.randint(3, 9870)
    street = f"{rng.choice(EN_STREETS)} {rng.choice(EN_SUFFIXES)}"
    city, state, zip3 = rng.choice(EN_CITIES)
    zip_code = f"{zip3}{rng.randint(0, 99):02d}"
    form = rng.randrange(7)
    if form == 0:
        return f"{number} {street}, {city}, {state} {zip_code}"
    if form == 1:
        return f"{number} {street}"
    if form == 2:
        return f"{number} {street}, Apt {rng.randint(1, 40)}{rng.choice('ABCD')}, {city}, {state} {zip_code}"
    if form == 3:
        return f"{number} {rng.choice('NSEW')}. {street} {city} {state}"
    if form == 4:
        town, postcode = rng.choice(UK_TOWNS)
        return f"Flat {rng.randint(1, 12)}, {number % 200 + 1} {rng.choice(EN_STREETS)} Road, {town} {postcode}"
    if form == 5:
        return f"{number} {street} Suite {rng.randint(100, 990)}"
    return f"{number} {street}, {city}"


ZH_PERSON = (
    "客户{v}反映快递一直没到。", "用户反馈：{v}说收到的杯子有裂纹。", "开户人{v}，请核对证件。", "{v}先生来电咨询退款进度。",
    "请转告{v}女士明天上午十点前回电。", "这单是{v}下的，不是我。", "刚才{v}打电话来催单了。", "麻烦联系一下{v}，他是收货人。",
    "联系人：{v}", "收件人:{v} ", "经办人{v}已经处理完毕。", "由{v}签收，签收时间下午三点。", "{v}，你的包裹放在驿站了。",
    "我同事{v}帮我下的单。", "请{v}本人携带身份证到营业厅办理。", "感谢{v}的耐心解答！", "投诉人{v}要求赔偿。",
    "持卡人姓名{v}", "您好{v}，您的工单已受理。", "你好，我是{v}，上周买了一台空调。", "{v}说东西坏了，要退货。",
    "快递员{v}态度很差。", "@{v} 请跟进一下这个客户。", "下单人是{v}，付款人是她老公。", "患者{v}的家属来电。",
    "账户名：{v}，开户行建设银行。", "用户{v}的会员到期了。", "{v}老师，孩子的校服到了吗？", "我叫{v}，订单号在下面。",
    "代收人{v}，电话打不通。", "请把发票抬头改成{v}个人。", "这是{v}的账号，不是我的。", "客户：{v}（VIP）",
)
ZH_TWO_PEOPLE = ("{v}和{w}都没收到货。", "{v}让我转告{w}，明天不用来了。", "收件人{v}，寄件人{w}。")
EN_PERSON = (
    "Customer {v} reported the parcel missing.", "Dear {v}, thank you for your patience.", "Mr. {last} called about the refund.",
    "Ms. {last} asked for a callback.", "{v} said the blender stopped working.", "Account holder: {v}",
    "Please ask {v} to call us back.", "Signed, {v}", "I spoke with {v} from billing yesterday.", "Thanks, {v}",
    "My wife {v} placed the order.", "Ticket opened by {v} on Monday.", "Hello, this is {v}, calling about order 5521.",
    "The parcel was signed for by {v}.", "Refund approved for {v}.", "Recipient: {v}", "cc: {v}",
    "{v} (customer) says the screen flickers.", "Hi team, {v} here, my card was charged twice.", "Contact person: {v}",
    "According to {v}, the courier never rang.", "Can {v} pick it up instead of me?", "Agent {v} closed the ticket.",
    "My name is {v} and I need help.", "Name on the card: {v}", "Dr. {last} will send the prescription.",
    "Forwarded to {v} for review.", "Please update the contact to {v}.", "Regards,\n{v}", "{v} - loyal customer since 2015",
)
EN_TWO_PEOPLE = ("{v} and {w} both got the wrong size.", "{v} asked me to forward this to {w}.")
ZH_LOCATION = (
    "请寄到{v}。", "我的地址是{v}", "收货地址：{v}，谢谢。", "我住在{v}，快递一直送不上来。", "发到{v}就行。",
    "地址改成{v}", "送货上门到{v}", "{v}，放门口就行。", "公司在{v}，工作日都有人。", "帮我改一下地址{v}", "家庭住址{v}",
    "寄件地址：{v}", "我家在{v}，离地铁站很近。", "能送到{v}吗？", "新地址{v}，旧的作废。",
)
EN_LOCATION = (
    "Please ship it to {v}.", "My address is {v}", "I live at {v}, ring twice.", "Deliver to {v} please.",
    "Shipping address: {v}", "{v} - leave it at the door.", "We moved to {v} last month.", "Send the invoice to {v}.",
    "Can you change the address to {v}?", "Billing address {v}", "The package went to {v} instead of my place.",
    "Return to sender: {v}",
)
ZH_PERSON_AND_ADDRESS = ("收件人{v}，地址{w}。", "{v}，{w}，电话稍后发。")
EN_PERSON_AND_ADDRESS = ("Ship to {v}, {w}.", "{v}\n{w}")

ZH_NEGATIVE = (
    "王者荣耀的皮肤怎么退款？", "今天很高兴问题解决了。", "金额不对，少了二十块。", "周末能送货吗？", "马上就要过年了，快点发货。",
    "黄金首饰可以退吗？", "白色的没货了吗？", "这个路由器信号很差。", "我在路上，晚点回复。", "地址栏显示错误。",
    "文件太大上传不了。", "包装上写着中国制造。", "张贴的海报破了。", "方便的话下午送。", "高铁上信号不好。",
    "万一再坏了怎么办？", "钱已经付了，订单还是待付款。", "江南风格的那款还有吗？", "向客服反映了好几次。", "常用地址可以设置几个？",
    "第三个路口左转就是。", "门牌号码看不清楚。", "请问小区门口可以自提吗？", "东西收到了，谢谢客服。", "用户体验太差了。",
)
EN_NEGATIVE = (
    "I bought the Jordan shoes in size 10.", "Main Street Bank declined my card.", "The Washington Post article was wrong.",
    "Is the Apple Watch band included?", "Mark the order as urgent please.", "Will the parcel arrive by Friday?",
    "The address field in the app is broken.", "I live on the second floor, the lift is broken.", "Grace period ends tomorrow.",
    "Version 2 of the app fixed it.", "Park Avenue collection is sold out.", "The Amazon locker was full.",
    "Our office is closed on Christmas Day.", "I am Chinese and prefer a Mandarin speaker.", "Hello World is printed on the mug.",
    "Drive safely and thanks for the help.", "Chase Sapphire card was charged twice.", "We ordered 12 boxes for Hope Street Kitchen.",
)
ZH_FILLER = ("您好，", "麻烦看一下，", "急！", "谢谢。", "在吗？", "订单号2023110512345。", "昨天下单的。", "")
EN_FILLER = ("Hi,", "Quick question.", "Thanks in advance.", "Order #55812.", "Urgent!", "It was ordered last week.", "")


def _fill(template: str, values: dict[str, tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Put the values into ``template``; returns the text and the gold spans."""
    text, gold, rest = "", [], template
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        text += before
        value, kind = values[name]
        gold.append((len(text), len(text) + len(value), kind))
        text += value
    return text + rest, gold


def _record(rng: random.Random, lang: str) -> tuple[str, list[tuple[int, int, str]]]:
    zh = lang == "zh"
    name, address = (zh_name, zh_address) if zh else (en_name, en_address)
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(ZH_NEGATIVE if zh else EN_NEGATIVE), []
    if roll < 0.6:
        template = rng.choice(ZH_PERSON if zh else EN_PERSON)
        person = name(rng)
        values = {"v": (person, "PERSON"), "last": (person.split(" ")[-1], "PERSON")}
    elif roll < 0.68:
        template = rng.choice(ZH_TWO_PEOPLE if zh else EN_TWO_PEOPLE)
        values = {"v": (name(rng), "PERSON"), "w": (name(rng), "PERSON")}
    elif roll < 0.92:
        template = rng.choice(ZH_LOCATION if zh else EN_LOCATION)
        values = {"v": (address(rng), "LOCATION")}
    else:
        template = rng.choice(ZH_PERSON_AND_ADDRESS if zh else EN_PERSON_AND_ADDRESS)
        values = {"v": (name(rng), "PERSON"), "w": (address(rng), "LOCATION")}
    return _fill(template, values)


def build(records: int = 6000, seed: int = 11) -> list[tuple[str, list[tuple[int, int, str]], str]]:
    """``records`` labelled records ``(text, gold spans, language)``, half zh and half en; a
    record may carry filler before and after its sentence."""
    rng = random.Random(seed)
    out = []
    for index in range(records):
        lang = "zh" if index % 2 == 0 else "en"
        text, gold = _record(rng, lang)
        filler = ZH_FILLER if lang == "zh" else EN_FILLER
        head, tail = rng.choice(filler), rng.choice(filler)
        sep = "" if lang == "zh" or not head else " "
        shift = len(head) + len(sep)
        text = head + sep + text + ("" if lang == "zh" or not tail else " ") + tail
        out.append((text, [(s + shift, e + shift, k) for s, e, k in gold], lang))
    return out
