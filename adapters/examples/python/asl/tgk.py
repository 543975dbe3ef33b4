"""TGK edges (stand-in for ENC-TGK-CORE / TGK/1, DEC-016): canonical id and node projections."""
import hashlib
import struct

from .errors import AslError, parse_u64

FROM = 1
TO = 2


def edge_values(edge):
    """(edge_type or None, from ids, to ids) of a shape-checked edge; a node id that is not a u64
    is TGK_INVALID_EDGE (DEC-033 step 4)."""
    frm = [parse_u64(v, "from node", "TGK_INVALID_EDGE") for v in edge["from"]]
    to = [parse_u64(v, "to node", "TGK_INVALID_EDGE") for v in edge["to"]]
    return edge.get("edge_type"), frm, to


def check_edge(et, frm, to):
    """The edge rules of DEC-016 (TGK_INVALID_EDGE): at least one node, no node twice in one list.
    Returns (edge_type, sorted from, sorted to)."""
    if not frm and not to:
        raise AslError("TGK_INVALID_EDGE", "an edge needs at least one node")
    if len(set(frm)) != len(frm):
        raise AslError("TGK_INVALID_EDGE", "a node is listed twice in from")
    if len(set(to)) != len(to):
        raise AslError("TGK_INVALID_EDGE", "a node is listed twice in to")
    return et, sorted(frm), sorted(to)


def parse_edge(edge):
    return check_edge(*edge_values(edge))


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
