"""Word lists for the heuristic recognizers: surnames, titles, address markers, sensitive terms.

Kept apart from the recognizers so that a reviewer can read (and extend) them in one place.
"""

from __future__ import annotations

#: Common single-character Chinese surnames (about 95% of the population).
CN_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
    "覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符"
    "舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司"
    "卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣"
    "巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝于傅萧阎赖"
)
#: Compound surnames.
CN_COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "申屠", "澹台", "百里",
)
#: Characters that end a given name: particles, pronouns and verbs that follow a name in a sentence.
CN_NAME_STOP = set(
    "的了是在我你他她它们和与及或说想要有吗呢啊吧呀哦嗯么这那个也都就还又很请让给把被从到对向为以"
    "电话手机号码卡身份证地址住今昨年月日时分秒先女士姐老师医经理同学太员客户服务"
    "二三四五六七八九十百千万两几多姓名叫已让个都没帮由才，。、！？；：,.!?;:"
)
#: Titles that follow a surname (王先生, 李女士): the name is what precedes them.
CN_TITLES = ("先生", "女士", "小姐", "太太", "老师", "医生", "经理", "同学", "阿姨", "师傅")
#: Phrases after which a full name follows (我叫王小明, 姓名：王小明).
CN_NAME_LEADS = (
    "我叫", "名叫", "名字叫", "名字是", "我的名字是", "姓名", "联系人", "收件人", "收货人", "持卡人",
    "户名", "患者", "本人", "签名", "申请人", "投保人", "被保险人", "乘机人", "入住人", "实名认证",
)
#: Weaker lead-ins (我是 / 您好 + surname): reported with a lower confidence.
CN_WEAK_NAME_LEADS = ("我是", "您好", "你好")
#: "我姓X": only the surname follows.
CN_SURNAME_LEADS = ("我姓", "免贵姓", "姓氏")

#: Role words after which a name follows (客户王建国, 开户人张伟, 用户反馈：李红): the name must start
#: with a known surname, except after the field-like ones of :data:`CN_FIELD_LEADS`. Words whose
#: every character is frequent in messages (下的, 个人, 谢谢, 麻烦) are left out: the keyword pass
#: checks a keyword's rarest character at each of its occurrences (measured: 0.2 µs each).
CN_ROLE_LEADS = (
    "客户", "用户", "开户人", "账户名", "帐户名", "经办人", "代收人", "投诉人", "下单人", "付款人", "寄件人", "签收人",
    "负责人", "快递员", "联系一下", "同事", "朋友", "老婆", "丈夫", "妻子", "家属", "转告", "抄送", "通知", "反馈", "改成", "交给", "找",
)
#: Field-like lead-ins after which whatever 2-3 characters stand before punctuation are a name,
#: even with a surname missing from :data:`CN_SURNAMES` (开户人阚明，).
CN_FIELD_LEADS = (
    "我叫", "名叫", "姓名", "联系人", "收件人", "收货人", "持卡人", "户名", "开户人", "账户名", "帐户名", "经办人", "代收人",
    "投诉人", "下单人", "付款人", "寄件人", "签收人", "申请人", "投保人", "被保险人", "乘机人", "入住人",
)
#: Words that follow a name (王建国反映…, 江洁让我…, 阎明，你的…): the name is what precedes them,
#: from a boundary (punctuation, the start, 和/与/让…).
CN_NAME_FOLLOWERS = (
    "说", "让我", "叫我", "反映", "表示", "来电", "打电话", "打来", "本人", "签收", "已经", "帮我", "下的单",
    "要求", "投诉", "和", "与", "都没", "下的", "态度", "个人", "的包裹", "的快递", "的订单", "的账号", "的账户", "的会员", "，你", "，您",
    "您好", "你好",
)
#: The followers that start a look-back when found: a subset, since each keyword's rarest character
#: is checked at every occurrence (没, 下, 账 … cost 0.2 µs each on every message) and each hit is a
#: Python call; the others still end a name found after a lead-in. "说" and "和" only after a
#: character that may end a name.
CN_FOLLOWER_TRIGGERS = (
    "说", "和", "让我", "叫我", "反映", "来电", "打电话", "打来", "本人", "签收", "的包裹", "的账号", "的账户", "，你",
)
#: Two-character words that start with a surname character but are no name (商家说, 高兴地说).
CN_NOT_NAMES = frozenset((
    "商家", "商品", "高兴", "高铁", "高速", "金额", "金卡", "周末", "周一", "周二", "周三", "周四", "周五", "周六",
    "周日", "马上", "黄金", "白色", "文件", "文字", "方便", "方法", "方式", "万一", "常用", "常见", "江南", "于是",
    "程序", "余额", "余款", "毛病", "关于", "关系", "关键", "安装", "安全", "安排", "包装", "包裹", "应该", "应用",
    "车主", "华为", "成功", "成本", "时间", "时候", "明天", "明白", "明细", "谢谢", "对方", "全部", "全款", "管理",
    "单号", "单位", "任何", "宁可", "司机", "师傅", "钱包", "路上", "路口", "向客", "和我", "和你", "和他", "和她",
    "东西", "孔子", "林业", "田园", "石头", "易用", "董事", "黎明", "夏天", "秋天", "冬天", "春天", "温度", "苗条",
    "原来", "邮件", "邮箱", "杨梅", "柳州", "梅花", "龙头", "熊猫", "牛奶", "云南", "海南", "江西", "湖南", "河南",
    "山东", "广东", "北京", "上海", "天津", "重庆", "齐全", "单元", "万元", "元素", "麻烦", "项目", "和平", "安心", "包邮", "陆续", "卫生", "史上", "雷达", "汤圆", "尤其", "沙发",
))
#: Lead-ins before an English name (Customer X, Dear X, Thanks, X, Account holder: X).
EN_NAME_LEADS = (
    "customer", "dear", "thanks,", "regards", "cheers", "signed", "sincerely", "cc", "holder", "person", "agent",
    "according to", "contact", "wife", "husband", "colleague", "manager", "client", "attn", "attention",
)
#: Weaker lead-ins: two capitalised words are needed (Ship to Wren Lindgren, Can Priya Natarajan...).
EN_WEAK_NAME_LEADS = ("ship to", "send to", "deliver to", "delivered to", "forward this to", "forwarded to",
                      "approved for", "opened by", "signed for by", "spoke with", "talked to", "speak to",
                      "name on the card", "pick up for", "on behalf of", "refund to")
#: Words after an English name (X said, X asked, X and Y both...): two capitalised words before.
EN_NAME_FOLLOWERS = ("said", "says", "asked", "asks", "called", "reported", "wrote", "placed", "complained",
                     "confirmed", "mentioned", "told")
#: Capitalised words that are never part of a person's name in these positions.
EN_NOT_NAME_WORDS = frozenset((
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "June", "July", "August", "September", "October", "November", "December", "Christmas", "Easter",
    "Day", "Bank", "Company", "Inc", "Ltd", "Store", "Shop", "Center", "Centre", "University", "Hospital", "Airport",
    "Station", "Mall", "Hotel", "Kitchen", "Restaurant", "Post", "Times", "News", "App", "Watch", "Pro", "Max",
    "Visa", "Mastercard", "Amazon", "Apple", "Google", "Microsoft", "Samsung", "Prime", "Express", "Delivery",
    "Refund", "Return", "Shipping", "Billing", "Address", "Invoice", "Ticket", "Manager", "Department", "Office",
    "Sapphire", "Chase", "Wells", "Fargo", "Union", "Pay", "Sign", "Avenue", "Street", "Road", "Lane", "Drive",
    "Boulevard", "Court", "Place", "Terrace", "Parkway", "Circle", "Trail", "Square", "Highway", "Way", "Suite",
    "Apt", "Flat", "Unit", "North", "South", "East", "West", "Both", "Friday", "Mandarin", "Cantonese", "Also",
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Madam", "Then", "Can", "Could", "Would", "Should", "Will", "Did", "Does", "What", "When", "Where", "Why", "How", "Who",
))

#: Province-level names and the larger cities, to find where a Chinese address starts.
CN_PLACE_STARTS = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州", "云南",
    "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
    "广州", "深圳", "杭州", "南京", "武汉", "成都", "西安", "苏州", "郑州", "长沙", "沈阳", "青岛", "宁波",
    "东莞", "无锡", "厦门", "福州", "济南", "大连", "哈尔滨", "长春", "昆明", "合肥", "南昌", "南宁",
    "贵阳", "太原", "石家庄", "兰州", "乌鲁木齐", "呼和浩特", "海口", "珠海", "佛山", "温州", "常州",
)
#: Words that introduce an address; stripped from the front of a matched address.
CN_ADDRESS_LEADS = ("家庭住址", "收货地址", "详细地址", "住址", "地址", "住在", "位于", "寄到", "送到", "发到", "搬到", "家在")
#: Road markers that precede the house number in a Chinese address.
CN_ROAD_MARKERS = ("大道", "大街", "胡同", "路", "街", "巷", "弄", "道", "里", "组", "村")

#: Street suffixes of English addresses.
EN_STREET_SUFFIXES = (
    "Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Ln", "Drive", "Dr",
    "Court", "Ct", "Way", "Place", "Pl", "Terrace", "Parkway", "Pkwy", "Highway", "Hwy", "Square", "Sq",
    "Circle", "Cir", "Trail", "Trl", "Crescent", "Close", "Row", "Alley", "Plaza", "Pike",
)
#: Common English given names (US SSA lists), without those that are also common words (May, Will,
#: Mark, Grace, ...). "Mary Walker" is taken for a name when a capitalised word follows.
EN_GIVEN_NAMES = (
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
    "Christopher", "Daniel", "Matthew", "Anthony", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth",
    "Kevin", "Brian", "George", "Edward", "Ronald", "Timothy", "Jason", "Jeffrey", "Ryan", "Jacob", "Gary",
    "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel",
    "Gregory", "Alexander", "Patrick", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Jose", "Adam", "Henry",
    "Nathan", "Douglas", "Zachary", "Peter", "Kyle", "Walter", "Ethan", "Jeremy", "Harold", "Keith", "Christian",
    "Roger", "Noah", "Gerald", "Carl", "Terry", "Sean", "Austin", "Arthur", "Lawrence", "Jesse", "Dylan",
    "Bryan", "Joe", "Jordan", "Albert", "Logan", "Randy", "Ralph", "Roy", "Eugene", "Wayne", "Louis", "Philip",
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
    "Nancy", "Lisa", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
    "Dorothy", "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia",
    "Kathleen", "Amy", "Shirley", "Angela", "Helen", "Anna", "Brenda", "Pamela", "Nicole", "Emma", "Samantha",
    "Katherine", "Christine", "Debra", "Rachel", "Catherine", "Carolyn", "Janet", "Ruth", "Maria", "Heather",
    "Diane", "Virginia", "Julie", "Joyce", "Victoria", "Olivia", "Kelly", "Christina", "Lauren", "Joan",
    "Evelyn", "Judith", "Megan", "Cheryl", "Andrea", "Hannah", "Martha", "Jacqueline", "Frances", "Gloria",
    "Ann", "Teresa", "Kathryn", "Sara", "Janice", "Jean", "Alice", "Madison", "Doris", "Abigail", "Julia",
    "Judy", "Sophia", "Isabella", "Denise", "Amber", "Marilyn", "Beverly", "Danielle", "Theresa", "Diana",
    "Natalie", "Brittany", "Charlotte", "Marie", "Kayla", "Alexis", "Lori",
)

#: Capitalised words that are not names (after "my name is ...", "Mr. ...").
EN_NOT_NAMES = {
    "I", "A", "An", "The", "This", "That", "It", "Is", "Not", "And", "But", "Or", "So", "My", "Your",
    "His", "Her", "Our", "Their", "Please", "Thanks", "Thank", "Hello", "Hi", "Dear", "Sir", "Madam",
    "Customer", "Service", "Support", "Team", "Order", "Account", "Card", "Phone", "Email", "Agent",
    "Urgent", "Chinese", "English", "American", "British", "World", "Everyone", "All", "There", "Again",
    "Sorry", "Good", "Morning", "Afternoon", "Evening", "Yes", "No", "Ok", "Okay", "We", "You", "They",
}

#: PIPL Art. 28 sensitive categories: Chinese and English terms whose presence flags a record.
#: Keys are finding types; a flag says "this record talks about X", it is not an identifier.
SENSITIVE_TERMS: dict[str, dict[str, tuple[str, ...]]] = {
    "SENSITIVE_HEALTH": {
        "zh": ("病历", "诊断", "确诊", "患有", "病情", "住院", "手术", "癌症", "肿瘤", "糖尿病", "高血压",
               "心脏病", "抑郁症", "焦虑症", "精神病", "艾滋病", "乙肝", "怀孕", "流产", "处方", "体检报告",
               "化疗", "过敏史", "病史"),
        "en": ("diagnosed", "diagnosis", "medical record", "medical history", "hospitalized", "surgery",
               "cancer", "tumor", "diabetes", "hypertension", "depression", "anxiety disorder", "HIV",
               "hepatitis", "pregnant", "pregnancy", "prescription", "chemotherapy"),
    },
    "SENSITIVE_BIOMETRIC": {
        "zh": ("指纹", "人脸识别", "人脸照片", "面部识别", "刷脸", "声纹", "虹膜", "掌纹", "基因检测"),
        "en": ("fingerprint", "face scan", "facial recognition", "face recognition", "voiceprint",
               "iris scan", "retina scan", "biometric", "genetic test", "DNA"),
    },
    "SENSITIVE_RELIGION": {
        "zh": ("宗教信仰", "信仰", "佛教徒", "基督徒", "基督教", "天主教", "伊斯兰教", "穆斯林", "道教", "受洗",
               "做礼拜"),
        "en": ("religion", "religious", "Christian", "Muslim", "Buddhist", "Catholic", "Jewish", "Hindu",
               "baptized", "mosque"),
    },
    "SENSITIVE_SPECIFIC_IDENTITY": {
        "zh": ("残疾", "残障", "残疾证", "犯罪记录", "前科", "服刑", "刑满释放", "性取向", "同性恋", "低保"),
        "en": ("criminal record", "convicted", "on parole", "sexual orientation", "gay", "lesbian",
               "transgender", "disabled", "disability"),
    },
    "SENSITIVE_FINANCIAL": {
        "zh": ("银行账户", "银行账号", "账户余额", "存款", "交易记录", "银行流水", "征信", "信用报告", "贷款",
               "支付密码", "银行卡密码", "支付账户", "工资", "收入证明"),
        "en": ("bank account", "account balance", "credit score", "credit report", "loan", "salary",
               "transaction history", "PIN code", "payment password", "payment account"),
    },
    "SENSITIVE_WHEREABOUTS": {
        "zh": ("行踪", "行动轨迹", "行程记录", "出行记录", "实时位置", "定位记录", "开房记录", "入住记录", "位置信息"),
        "en": ("whereabouts", "location history", "GPS track", "travel history", "itinerary", "checked in at",
               "real-time location"),
    },
    "SENSITIVE_MINOR": {
        "zh": ("未成年", "小学生", "幼儿园", "我儿子", "我女儿", "儿童", "婴儿", "宝宝"),
        "en": ("my son", "my daughter", "child", "kid", "toddler", "elementary school", "kindergarten"),
    },
}

#: Words after a minors term that make it a product, a product category or an age range rather than
#: a child (婴儿奶粉, 儿童座椅, kid's toys).
_CHILD_PRODUCTS_ZH = (
    "奶粉", "米粉", "辅食", "零食", "用品", "推车", "车", "座椅", "床", "服装", "衣服", "睡衣", "鞋", "袜", "帽", "玩具",
    "积木", "尿不湿", "纸尿裤", "拉拉裤", "湿巾", "奶瓶", "奶嘴", "牙刷", "牙膏", "洗发", "沐浴", "面霜", "润肤",
    "护肤", "防晒", "霜", "安全", "餐具", "餐椅", "水杯", "保温杯", "书包", "文具", "绘本", "读物", "图书", "手表", "电话手表",
    "自行车", "滑板车", "平衡车", "口罩", "睡袋", "枕头", "被子", "背带", "腰凳", "监视器", "监护器", "游泳圈", "游泳馆", "爬行垫",
    "摇篮", "围兜", "理发器", "体温计", "护栏", "安全锁", "款", "版", "尺码", "码", "专用", "适用", "节", "票",
    "套餐", "乐园", "游乐", "房", "区", "频道", "模式", "锁",
)
_CHILD_PRODUCTS_EN = (
    "'s toy", " toy", "'s bike", " bike", " seat", " car seat", " size", " sizes", "-size", " safety", "-safe",
    " lock", " proof", "-proof", "proof", " friendly", "-friendly", " meal", "'s meal", " menu", " ticket",
    " fare", " account", " mode", " shoes", " clothes", " bed", " gate", " monitor", " scissors", " cup",
    " backpack", " workbook", " toothbrush", " formula", "'s play", " stroller", " gloves", " leather",
)
#: Words just before a minors term (or near an age) that make it the audience of a product
#: (适合儿童, 3岁以上儿童, suitable for toddlers) rather than a child.
_AUDIENCE_ZH = ("适合", "适用", "专为", "以上", "以下", "岁的", "针对", "推荐给")
_AUDIENCE_NEAR_ZH = ("适用年龄", "适合年龄", "年龄段", "适合", "适用", "建议", "推荐", "月龄")
_AUDIENCE_EN = ("suitable for ", "designed for ", "recommended for ", "for ages ", "ages ", "perfect for ", "made for ")

#: Context rules of the sensitive-category flags: where a term is *not* about a person. Keys are
#: flag types; each rule names the terms it applies to and one or more conditions, any of which
#: drops the flag:
#:
#: - ``followed_by``: a word that starts right after the term (婴儿|奶粉);
#: - ``preceded_by``: a word that ends right before the term (适合|儿童);
#: - ``near``: a word within :data:`FLAG_NEAR_WINDOW` characters before or after the term, on its line;
#: - ``needs_number``: the term counts only with a number of at least four digits within
#:   :data:`FLAG_NUMBER_WINDOW` characters on its line (支付密码 123456, not "忘记支付密码怎么办").
#:
#: Words match lower-cased text, so English words are written in lower case. ``why`` is shown in
#: the evidence. Terms a plan adds (``keyword_terms_add``) get no rule.
FLAG_CONTEXT_RULES: dict[str, tuple[dict, ...]] = {
    "SENSITIVE_MINOR": (
        {"terms": ("婴儿", "儿童", "宝宝", "幼儿园", "小学生", "未成年"), "followed_by": _CHILD_PRODUCTS_ZH,
         "why": "a product or product category (婴儿奶粉, 儿童座椅), not a child"},
        {"terms": ("child", "kid", "toddler", "kindergarten", "elementary school"), "followed_by": _CHILD_PRODUCTS_EN,
         "why": "a product or product category (child seat, kid's toy), not a child"},
        {"terms": ("婴儿", "儿童", "宝宝", "幼儿园", "小学生"), "preceded_by": _AUDIENCE_ZH,
         "why": "the audience of a product (适合儿童, 3岁以上儿童), not a child"},
        {"terms": ("child", "kid", "toddler", "kindergarten", "elementary school"), "preceded_by": _AUDIENCE_EN,
         "why": "the audience of a product (suitable for toddlers), not a child"},
        {"terms": ("岁",), "near": _AUDIENCE_NEAR_ZH, "why": "an age range of a product (适用年龄 3-6岁)"},
        {"terms": ("old",), "near": ("suitable", "recommended", "ages ", "designed for"),
         "why": "an age range of a product (suitable for 3 years old and up)"},
        {"terms": ("宝宝",), "followed_by": ("们", "您", "你好", "，您", ",您", "请", "放心", "久等", "亲"),
         "preceded_by": ("亲爱的", "亲，", "亲,", "各位", "小仙女"),
         "why": "shop assistants address customers as 宝宝"},
        {"terms": ("未成年",), "followed_by": ("人禁止", "人请勿", "人勿", "人不得", "人不能", "人保护", "禁止", "请勿", "人谨慎"),
         "preceded_by": ("不向", "禁止向", "不得向", "不对", "谢绝"),
         "why": "a notice to everyone (未成年人禁止购买, 不向未成年人出售), not a child"},
    ),
    "SENSITIVE_FINANCIAL": (
        {"terms": ("支付密码", "银行卡密码", "支付账户", "pin code", "payment password", "payment account"),
         "needs_number": True,
         "why": "a password or account named without a value (忘记支付密码怎么办, reset my PIN code) is a how-to "
                "question, not an account"},
        {"terms": ("贷款", "loan"), "followed_by": ("利率", "计算器", "产品", "服务", "广告", " calculator", " rates", " offer",
                                                " options"),
         "why": "a product or an advert, not someone's loan"},
        {"terms": ("交易记录", "银行账户", "银行账号", "信用报告", "征信", "transaction history", "bank account", "credit report"),
         "preceded_by": ("查看", "绑定", "解绑", "添加", "如何", "怎么", "怎样", "在哪", "link a ", "add a ", "see the ",
                         "view the ", "find the ", "how to "),
         "followed_by": ("怎么查", "怎么看", "在哪", "如何查", " services", " service"),
         "why": "a how-to question or a service, without anyone's account"},
        {"terms": ("存款",), "followed_by": ("利率", "产品", "保险"), "why": "a bank product, not someone's deposits"},
    ),
    "SENSITIVE_HEALTH": (
        {"terms": ("诊断", "diagnosis", "diagnosed"), "preceded_by": ("故障", "设备", "网络", "系统", "车辆", "电脑", "fault ",
                                                                 "engine ", "network ", "free ", "remote "),
         "why": "a fault diagnosis of a device, not of a person"},
        {"terms": ("糖尿病", "高血压", "心脏病", "癌症", "乙肝", "diabetes", "hypertension", "cancer"),
         "preceded_by": ("适合", "适用于", "适用", "suitable for "), "followed_by": ("人群", " research", " charity"),
         "why": "the audience of a product (适合高血压人群) or a topic, not someone's illness"},
        {"terms": ("prescription",), "followed_by": (" glasses", " lenses", " sunglasses", " frames"),
         "why": "a product (prescription glasses)"},
        {"terms": ("手术",), "followed_by": ("刀", "服", "灯", "级", "器械", "室专用", "衣"),
         "why": "a product (手术刀, 手术级), not an operation"},
        {"terms": ("处方",), "followed_by": ("药",), "preceded_by": ("凭", "需", "须", "非"),
         "why": "a drug category or a pharmacy notice (处方药, 凭处方购买)"},
        {"terms": ("depression",), "followed_by": (" glass",), "why": "a product (depression glass)"},
    ),
    "SENSITIVE_BIOMETRIC": (
        {"terms": ("指纹", "人脸识别", "面部识别", "刷脸", "fingerprint", "facial recognition", "face recognition"),
         "followed_by": ("锁", "解锁", "门锁", "识别模块", "模块", "传感器", "膜", "支付功能", "门禁", "摄像头", "考勤机", "功能",
                         " lock", " sensor", " reader", " scanner", " unlock", " camera", " module", " feature"),
         "preceded_by": ("支持", "带", "自带", "配备", "supports ", "with a ", "with "),
         "why": "a device or a product feature (指纹锁, 支持刷脸支付, fingerprint sensor), not someone's biometrics"},
        {"terms": ("dna",), "preceded_by": ("our ", "brand ", "its ", "in the ", "design "),
         "why": "a figure of speech (our brand DNA)"},
    ),
    "SENSITIVE_RELIGION": (
        {"terms": ("信仰",), "preceded_by": ("我们的", "品质是", "质量是", "服务是", "品牌"),
         "why": "a figure of speech (品质是我们的信仰)"},
        {"terms": ("christian",), "followed_by": (" dior", " louboutin", " audigier", " siriano"),
         "why": "a brand (Christian Dior)"},
        {"terms": ("buddhist", "基督教", "佛教徒"), "followed_by": (" prayer beads", " beads", " statue", " bracelet", "书籍",
                                                                   "饰品", "用品"),
         "why": "a product (Buddhist prayer beads)"},
    ),
    "SENSITIVE_SPECIFIC_IDENTITY": (
        {"terms": ("残疾", "残障"), "followed_by": ("人专用", "人用", "人通道", "人车位", "人轮椅", "人座椅", "人坐便", "专用",
                                                   "人士专用", "人厕所", "人卫生间"),
         "why": "a facility or a product (残疾人专用, 残疾人通道), not a person"},
        {"terms": ("disabled",), "near": ("account", "accounts", "card", "feature", "features", "button", "option",
                                          "options", "setting", "settings", "notification", "notifications", "function",
                                          "cookies", "javascript", "payment", "coupon", "parking", "access", "by default"),
         "why": "a switched-off feature (my account was disabled) or a facility (disabled parking)"},
        {"terms": ("disability",), "followed_by": (" insurance",), "why": "an insurance product"},
    ),
    "SENSITIVE_WHEREABOUTS": (
        {"terms": ("位置信息", "实时位置", "real-time location"),
         "preceded_by": ("获取", "读取", "访问", "开启", "授权", "使用您的", "获取您的", "共享"),
         "followed_by": ("共享", "权限", " sharing", " feature"),
         "why": "an app permission or feature, not someone's whereabouts"},
        {"terms": ("行程记录", "出行记录"), "preceded_by": ("查看", "导出", "删除", "如何查看", "怎么查看"),
         "why": "a how-to question, not someone's whereabouts"},
    ),
}
#: Characters around a term in which ``near`` words are looked for.
FLAG_NEAR_WINDOW = 24
#: Characters around a term in which a ``needs_number`` term looks for its value.
FLAG_NUMBER_WINDOW = 24

#: Roughly the 600 most frequent Chinese characters. A keyword is found by its *least* frequent
#: character, so that the scan stops rarely; characters not listed count as rare.
CN_FREQUENT = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作"
    "里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从"
    "想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头"
    "文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提"
    "立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务"
    "做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像"
    "难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导"
    "争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗"
    "字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器"
    "容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周"
    "较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章"
    "音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻"
    "父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久"
    "错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷"
    "警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协"
    "角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份"
    "穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨"
    "丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋"
    "画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭"
    "妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂"
)
