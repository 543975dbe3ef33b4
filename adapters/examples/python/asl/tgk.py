"""TGK edges (stand-in for ENC-TGK-CORE / TGK/1, DEC-016): canonical id and node projections."""
import hashlib
import struct

from .errors import AslError, parse_list, parse_opt_u32, parse_u64, require_obj

FROM = 1
TO = 2


def parse_edge(edge):
    """(edge_type or None, sorted from ids, sorted to ids); TGK_INVALID_EDGE for an edge with no
    node or a node listed twice in one list."""
    require_obj(edge, ("edge_type", "from", "to"), ("from", "to"))
    et = parse_opt_u32(edge.get("edge_type"), "edge_type")
    frm = [parse_u64(v, "from node") for v in parse_list(edge["from"], "from")]
    to = [parse_u64(v, "to node") for v in parse_list(edge["to"], "to")]
    if not frm and not to:
        raise AslError("TGK_INVALID_EDGE", "an edge needs at least one node")
    if len(set(frm)) != len(frm):
        raise AslError("TGK_INVALID_EDGE", "a node is listed twice in from")
    if len(set(to)) != len(to):
        raise AslError("TGK_INVALID_EDGE", "a node is listed twice in to")
    return et, sorted(frm), sorted(to)


def canonical_encoding(frm, to):
    return (b"TGK-EDGE/1" + struct.pack("<I", len(frm)) + b"".join(struct.pack("<Q", x) for x in frm)
            + struct.pack("<I", len(to)) + b"".join(struct.pack("<Q", x) for x in to))


def edge_id(frm, to):
    return int.from_bytes(hashlib.sha256(canonical_encoding(sorted(frm), sorted(to))).digest()[:8], "big")


def project(frm, to, logseq):
    """Node-edge refs (logseq, node_id, tgk_edge_id, position) in DEC-004 order."""
    eid = edge_id(frm, to)
    refs = [(logseq, n, eid, FROM) for n in frm] + [(logseq, n, eid, TO) for n in to]
    refs.sort(key=lambda r: (r[1], r[3], r[2], r[0]))
    return refs
