"""XMP packets carrying the label as ``TC260:AIGC`` (TC260-PG-20258A namespace).

The practice guide names the namespace ``http://www.tc260.org.cn/ns/AIGC/1.0/`` with prefix
``TC260`` and property ``AIGC`` whose value is the Annex E JSON. Reading accepts any prefix bound
to that namespace and both the element and the attribute form.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DESCRIPTION = (
    f'<rdf:Description rdf:about="" xmlns:TC260="{TC260_NS}">'
    "<TC260:AIGC>{value}</TC260:AIGC>"
    "</rdf:Description>"
)


def build_packet(label_json: str) -> str:
    """A complete XMP packet holding only ``TC260:AIGC``."""
    description = _DESCRIPTION.format(value=escape(label_json))
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f'<rdf:RDF xmlns:rdf="{RDF_NS}">{description}</rdf:RDF>'
        "</x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


def mentions_label(packet: str) -> bool:
    """Cheap test: does the packet bind the TC260 namespace at all?"""
    return TC260_NS in packet


def read_values(packet: str) -> list[str | None]:
    """Every ``TC260:AIGC`` value in the packet (None for one that cannot be parsed)."""
    if not mentions_label(packet):
        return []
    body = packet[packet.find("<x:xmpmeta"):] if "<x:xmpmeta" in packet else packet
    body = re.sub(r"<\?xpacket[^>]*\?>", "", body).strip()
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return [None]
    tag = f"{{{TC260_NS}}}AIGC"
    values: list[str | None] = []
    for element in root.iter():
        if element.tag == tag:
            values.append(element.text or "")
        if tag in element.attrib:
            values.append(element.attrib[tag])
    return values


def add_to_packet(packet: str, label_json: str) -> str:
    """Insert a ``TC260:AIGC`` description into an existing packet (before ``</rdf:RDF>``)."""
    closing = packet.rfind("</rdf:RDF>")
    if closing < 0:
        return build_packet(label_json)
    description = _DESCRIPTION.format(value=escape(label_json))
    return packet[:closing] + description + packet[closing:]


def remove_from_packet(packet: str) -> str:
    """The packet without any TC260 AIGC property (element or attribute form)."""
    prefixes = set(re.findall(r'xmlns:([\w.-]+)\s*=\s*["\']' + re.escape(TC260_NS), packet)) or {"TC260"}
    for prefix in prefixes:
        p = re.escape(prefix)
        packet = re.sub(rf"<{p}:AIGC\b[^>]*/>", "", packet)
        packet = re.sub(rf"<{p}:AIGC\b[^>]*>.*?</{p}:AIGC>", "", packet, flags=re.S)
        packet = re.sub(rf'\s{p}:AIGC\s*=\s*("[^"]*"|\'[^\']*\')', "", packet)
    # A description we wrote is now empty; drop it so the packet does not grow on every rewrite.
    packet = re.sub(
        r'<rdf:Description rdf:about="" xmlns:TC260="' + re.escape(TC260_NS) + r'">\s*</rdf:Description>', "", packet
    )
    return packet
