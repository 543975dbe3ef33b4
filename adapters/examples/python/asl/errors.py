"""Typed errors (spec/errors.yaml) and argument parsing helpers (spec/protocol.md section 3)."""
import base64
import binascii
import re

U64_MAX = (1 << 64) - 1
U32_MAX = (1 << 32) - 1

_U64_RE = re.compile(r"^(0|[1-9][0-9]{0,19})$")
_HEX32_RE = re.compile(r"^[0-9a-f]{64}$")
_B64_RE = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


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


def require_obj(args, allowed, required=()):
    """Args must be a JSON object with only `allowed` keys and every `required` key."""
    if not isinstance(args, dict):
        raise bad("args must be an object")
    for k in args:
        if k not in allowed:
            raise bad("unexpected argument %r" % k)
    for k in required:
        if k not in args:
            raise bad("missing argument %r" % k)
    return args


def parse_u64(v, what="value", code="PROTO_BAD_REQUEST"):
    """u64 as a decimal string (DEC-032). A non-string is always PROTO_BAD_REQUEST."""
    if not isinstance(v, str):
        raise bad("%s must be a decimal string" % what)
    if not _U64_RE.match(v) or int(v) > U64_MAX:
        raise AslError(code, "%s is not a u64: %r" % (what, v[:40]))
    return int(v)


def parse_uint(v, bits, what="value"):
    if isinstance(v, bool) or not isinstance(v, int) or v < 0 or v >= (1 << bits):
        raise bad("%s must be an integer in 0..2^%d-1" % (what, bits))
    return v


def parse_opt_u32(v, what="type_tag"):
    if v is None:
        return None
    return parse_uint(v, 32, what)


def parse_hex32(v, what="key", code="PROTO_BAD_REQUEST"):
    if not isinstance(v, str):
        raise bad("%s must be a string" % what)
    if not _HEX32_RE.match(v):
        raise AslError(code, "%s is not 64 lowercase hex digits" % what)
    return v


def parse_b64(v, what="bytes"):
    if not isinstance(v, str) or not _B64_RE.match(v):
        raise bad("%s must be standard base64" % what)
    try:
        return base64.b64decode(v, validate=True)
    except (binascii.Error, ValueError) as e:
        raise bad("%s is not valid base64: %s" % (what, e))


def parse_bool(v, what):
    if not isinstance(v, bool):
        raise bad("%s must be a boolean" % what)
    return v


def parse_list(v, what, max_items=None):
    if not isinstance(v, list):
        raise bad("%s must be an array" % what)
    if max_items is not None and len(v) > max_items:
        raise bad("%s has more than %d items" % (what, max_items))
    return v


def b64(data):
    return base64.b64encode(bytes(data)).decode("ascii")
