"""Typed errors (spec/errors.yaml) and argument parsing helpers (spec/protocol.md section 3)."""
import base64
import binascii
import re

U64_MAX = (1 << 64) - 1
U32_MAX = (1 << 32) - 1

_U64_RE = re.compile(r"0|[1-9][0-9]{0,19}")
_HEX32_RE = re.compile(r"[0-9a-f]{64}")


class AslError(Exception):
    """An error with a closed code of spec/errors.yaml; offset/field for segment errors."""

    def __init__(self, code, message="", offset=None, field=None):
        super().__init__(message or code)
        self.code = code
        self.message = message or code
        self.offset = offset
        self.field = field

    def to_json(self):
        out = {"code": self.code, "message": self.message}
        if self.offset is not None:
            out["offset"] = int(self.offset)
        if self.field is not None:
            out["field"] = self.field
        return out


def bad(msg):
    return AslError("PROTO_BAD_REQUEST", msg)


def parse_u64(v, what="value", code="PROTO_BAD_REQUEST"):
    """The value of a well-typed u64 string (DEC-032, DEC-033 step 4): decimal digits, no leading
    zero, at most 2^64 - 1; else `code`, the operation's domain code."""
    if not isinstance(v, str):
        raise bad("%s must be a decimal string" % what)
    if not _U64_RE.fullmatch(v) or int(v) > U64_MAX:
        raise AslError(code, "%s is not a u64: %r" % (what, v[:40]))
    return int(v)


def parse_hex32(v, what="key", code="PROTO_BAD_REQUEST"):
    """A key, SnapshotID or SID: 64 lowercase hex digits; else `code`."""
    if not isinstance(v, str):
        raise bad("%s must be a string" % what)
    if not _HEX32_RE.fullmatch(v):
        raise AslError(code, "%s is not 64 lowercase hex digits" % what)
    return v


def parse_b64(v, what="bytes"):
    """Base64 already shape-checked (asl/shapes.py): standard alphabet, padded."""
    try:
        return base64.b64decode(v, validate=True)
    except (binascii.Error, ValueError, TypeError) as e:
        raise bad("%s is not valid base64: %s" % (what, e))


def b64(data):
    return base64.b64encode(bytes(data)).decode("ascii")
