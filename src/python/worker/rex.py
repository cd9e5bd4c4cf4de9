"""Rex: run package commands (pre_commands / commands / post_commands) and record actions.

A pure function, `execute_commands(request) -> response`, over plain JSON data. The caller
(TypeScript, through the worker pool) sends every step of a context in order: primitive
actions it computed itself (system setup, package variables, pkg-rs environments) and the
Python code of each package. One executor runs them all, so the tracked environment flows
across packages exactly as in Rez's ResolvedContext._execute, and the response carries the
recorded actions only (no shell code).

Request:
{
  "parent_environ": {name: value},          # environment the context is applied on top of
  "parent_variables": true | [names],       # vars appended/prepended to instead of overwritten
  "env_var_separators": {name: sep},        # per-variable separators (Rez config)
  "pathsep": ":",                           # the target interpreter's path separator
  "shebang": false,                         # record a Shebang action first
  "optionvars": {...},                      # config.optionvars
  "bindings": {                             # all optional
    "system": {"platform": .., "arch": .., "os": .., ...},
    "building": bool, "testing": bool,
    "request": [req str], "implicits": [req str], "ephemerals": [".eph-1", ...],
    "resolve": {name: Variant},             # Variant: see VariantBinding below
  },
  "steps": [ Step ]
}
Step: {"op": "setenv"|"unsetenv"|"resetenv"|"appendenv"|"prependenv"|"alias"|"info"|"error"|
        "command"|"comment"|"source"|"shebang", "key"?, "value"?, "friends"?,
        "raw"?: bool      # value used as is: no {}-formatting (pkg-rs values)
        "inherit"?: bool  # append/prepend extends the parent's value if it has one}
    | {"op": "code", "attr": "commands", "package": name | null, "source": str, "file": str,
       "line": int, "includes_base"?: str,   # the package's variant comes from bindings.resolve,
       "this"?: Variant, "globals"?: {name: value}}  # or from `this` (pre_build_commands); extra names
Value: str | [{"literal": bool, "text": str}, ...]   (an EscapedString's parts; a plain string is expandable)

Response:
{"actions": [Action], "environ": {tracked env, expanded},
 "error": null | {"type", "exception", "message", "package", "attr", "file", "line", "traceback"}}
Action: the JSON shapes of src/rex/actions.ts (type setenv/appendenv/prependenv/resetenv/unsetenv/
saferefenv/alias/info/error/command/source/comment/shebang). `saferefenv` is what Rez sends only to
the interpreter when a parent variable is adopted; it is recorded so that shells can render it.

Limitations: `intersects()` and `get_range()` use a compact re-implementation of Rez's
version ranges (VersionRange below) covering the full range grammar and AlphanumericVersionToken
ordering; `command()` is recorded, never run (the interpreter is passive).
"""

from __future__ import annotations

import ast
import json
import os
import re
import string
import sys
import traceback
from collections.abc import MutableMapping

__all__ = ["execute_commands"]


# ---------------------------------------------------------------------------------------------
# Errors (names match Rez's, so messages read the same)
# ---------------------------------------------------------------------------------------------

class RexError(Exception):
    pass


class RexUndefinedVariableError(RexError):
    pass


class RexStopError(RexError):
    pass


class VersionError(Exception):
    pass


# Names are written unquoted into shell code (`export NAME=...`), so anything else could run code.
# The same rules as src/rex/names.ts.
_ENV_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ALIAS_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*\Z")


def _check_name(kind, name):
    if kind == "variable" and not _ENV_VAR_NAME.match(name):
        raise RexError(
            "invalid environment variable name %s: use letters, digits and '_', not starting with a digit" % json.dumps(name, ensure_ascii=False)
        )
    if kind == "alias" and not _ALIAS_NAME.match(name):
        raise RexError(
            "invalid alias name %s: use letters, digits, '_', '.', '+' and '-', not starting with '-'" % json.dumps(name, ensure_ascii=False)
        )


# ---------------------------------------------------------------------------------------------
# Versions and ranges (Rez semantics; enough for intersects / get_range / VersionBinding)
# ---------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[a-zA-Z0-9_]+")
_SUBTOKEN_RE = re.compile(r"[0-9]+|[^0-9]+")


def _token_key(token):
    # alpha subtokens sort before numeric ones; numerics by value, then by spelling
    return tuple((1, int(s), s) if s.isdigit() else (0, s, "") for s in _SUBTOKEN_RE.findall(token))


class Version(object):
    """A Rez version: tokens with cosmetic separators. `Version.inf` is above everything."""

    def __init__(self, text="", _inf=False):
        self.is_inf = _inf
        if _inf:
            self.tokens, self.seps = [], []
            return
        text = text or ""
        self.tokens = _TOKEN_RE.findall(text)
        seps = _TOKEN_RE.split(text)
        if self.tokens:
            if seps[0] or seps[-1] or any(len(s) > 1 for s in seps[1:-1]):
                raise VersionError("Invalid version syntax: '%s'" % text)
        elif text:
            raise VersionError("Invalid version syntax: '%s'" % text)
        self.seps = seps[1:-1] if self.tokens else []
        self.key = tuple(_token_key(t) for t in self.tokens)

    def next(self):
        if self.is_inf or not self.tokens:
            return Version(_inf=True)
        other = Version.__new__(Version)
        other.is_inf = False
        other.tokens = self.tokens[:-1] + [self.tokens[-1] + "_"]
        other.seps = list(self.seps)
        other.key = tuple(_token_key(t) for t in other.tokens)
        return other

    def _cmp(self, other):
        if self.is_inf or other.is_inf:
            return (self.is_inf > other.is_inf) - (self.is_inf < other.is_inf)
        return (self.key > other.key) - (self.key < other.key)

    def __lt__(self, other):
        return self._cmp(other) < 0

    def __le__(self, other):
        return self._cmp(other) <= 0

    def __gt__(self, other):
        return self._cmp(other) > 0

    def __ge__(self, other):
        return self._cmp(other) >= 0

    def __eq__(self, other):
        return isinstance(other, Version) and self._cmp(other) == 0

    def __hash__(self):
        return hash((self.is_inf, tuple(self.tokens)))

    def __len__(self):
        return len(self.tokens)

    def __bool__(self):
        return self.is_inf or bool(self.tokens)

    def __str__(self):
        if self.is_inf:
            return "[INF]"
        out = []
        for i, tok in enumerate(self.tokens):
            out.append(tok)
            if i < len(self.seps):
                out.append(self.seps[i])
        return "".join(out)


_V = r"[0-9a-zA-Z_]+(?:[.-][0-9a-zA-Z_]+)*"
# Rez's range grammar, one alternative per form, tried in the order of Rez's alternation;
# conditional groups keep `+` off exclusive bounds and require the comma in descending ranges.
_RANGE_FORMS = [
    ("version", re.compile(r"^(?P<v>%s)$" % _V)),
    ("exact", re.compile(r"^==(?P<v>%s)?$" % _V)),
    ("inclusive", re.compile(r"^(?P<lv>%s)?\.\.(?P<uv>%s)?$" % (_V, _V))),
    ("lower", re.compile(r"^(?P<lp>>|>=)?(?P<lv>%s)?(?(lp)|\+)$" % _V)),
    ("upper", re.compile(r"^(?P<up><(?=%s)|<=)?(?P<uv>%s)?$" % (_V, _V))),
    ("asc", re.compile(
        r"^(?P<lp>>|>=)?(?P<lv>%s)?(?(lp)|\+)?(?(lv),?|)(?P<up><(?=%s)|<=)(?P<uv>%s)?$" % (_V, _V, _V))),
    ("desc", re.compile(
        r"^(?P<up><|<=)?(?P<uv>%s)?(?(up)|\+)?(?(uv),|)(?P<lp><(?=%s)|>=?)(?P<lv>%s)?$" % (_V, _V, _V))),
]


class _Bound(object):
    """[lower, upper] with inclusivity flags; upper version may be Version.inf."""

    def __init__(self, lower=None, lower_incl=True, upper=None, upper_incl=True, check=True):
        self.lower = lower if lower is not None else Version()
        self.lower_incl = lower_incl if lower is not None else True
        self.upper = upper if upper is not None else Version(_inf=True)
        self.upper_incl = upper_incl if upper is not None else True
        if upper is not None and not upper and not upper_incl:
            raise VersionError("Invalid upper bound: '<'")
        if check and not self._valid(self.lower, self.lower_incl, self.upper, self.upper_incl):
            raise VersionError("Invalid bound")

    @staticmethod
    def _valid(lower, lower_incl, upper, upper_incl):
        return lower < upper or (lower == upper and lower_incl and upper_incl)

    def intersects(self, other):
        # max of lower bounds (exclusive wins at equal version), min of upper bounds
        if self.lower > other.lower or (self.lower == other.lower and not self.lower_incl):
            lower, lower_incl = self.lower, self.lower_incl
        else:
            lower, lower_incl = other.lower, other.lower_incl
        if self.upper < other.upper or (self.upper == other.upper and not self.upper_incl):
            upper, upper_incl = self.upper, self.upper_incl
        else:
            upper, upper_incl = other.upper, other.upper_incl
        return self._valid(lower, lower_incl, upper, upper_incl)

    def contains(self, version):
        above = version > self.lower or (version == self.lower and self.lower_incl)
        below = version < self.upper or (version == self.upper and self.upper_incl)
        return above and below


class VersionRange(object):
    def __init__(self, text=""):
        self._text = text
        self.bounds = []
        is_any = False
        for part in text.split("|"):
            if part == "":
                is_any = True
                continue
            bound = self._parse_part(part)
            if not is_any:
                self.bounds.append(bound)
        if is_any:
            self.bounds = [_Bound()]

    @staticmethod
    def _parse_part(part):
        for form, regex in _RANGE_FORMS:
            m = regex.search(part)
            if not m:
                continue
            g = m.groupdict()
            if form == "version":
                v = Version(g["v"])
                return _Bound(v, True, v.next(), False) if v else _Bound()
            if form == "exact":
                v = Version(g["v"])
                return _Bound(v, True, v, True)
            if form == "lower":
                return _Bound(Version(g["lv"]), g["lp"] != ">", None)
            if form == "upper":
                return _Bound(None, True, Version(g["uv"]), g["up"] != "<")
            if form == "inclusive":
                return _Bound(Version(g["lv"]), True, Version(g["uv"]), True)
            # asc / desc: both sides present in the grammar
            return _Bound(Version(g["lv"]), g["lp"] != ">", Version(g["uv"]), g["up"] != "<")
        raise VersionError("Syntax error in version range '%s'" % part)

    @classmethod
    def from_version(cls, version):
        r = cls.__new__(cls)
        r._text = "==" + str(version)
        r.bounds = [_Bound(version, True, version, True)]
        return r

    def intersects(self, other):
        return any(a.intersects(b) for a in self.bounds for b in other.bounds)

    def contains_version(self, version):
        return any(b.contains(version) for b in self.bounds)

    def __contains__(self, version):
        return self.contains_version(version if isinstance(version, Version) else Version(str(version)))

    def is_any(self):
        return len(self.bounds) == 1 and self.bounds[0].lower == Version() \
            and self.bounds[0].upper.is_inf

    def __str__(self):
        return self._text

    def __repr__(self):
        return "VersionRange(%r)" % self._text


class Requirement(object):
    """Just enough of Rez's Requirement for bindings: name, range, conflict/weak flags."""

    def __init__(self, text):
        self._text = text
        self.conflict = False
        self.weak = False
        s = text
        if s.startswith("!"):
            self.conflict, s = True, s[1:]
        elif s.startswith("~"):
            self.conflict, self.weak, s = True, True, s[1:]
        m = re.search(r"[-@#=<>]", s)
        if m:
            self.name = s[:m.start()]
            range_str = s[m.start() + 1:] if m.group() in "-@#" else s[m.start():]
            self.range = VersionRange(range_str)
        else:
            self.name = s
            self.range = VersionRange("")

    def __str__(self):
        return self._text

    def __repr__(self):
        return "PackageRequest(%r)" % self._text

    # As Rez: equal to another requirement only (not to its string), so hashable by its text.
    def __eq__(self, other):
        return isinstance(other, Requirement) and str(other) == self._text

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self._text)


# ---------------------------------------------------------------------------------------------
# Escaped strings (literal / expandable parts)
# ---------------------------------------------------------------------------------------------

class EscapedString(object):
    def __init__(self, value, is_literal=False):
        self.strings = [(is_literal, value)]

    def copy(self):
        other = EscapedString.__new__(EscapedString)
        other.strings = self.strings[:]
        return other

    def _add(self, value, is_literal):
        last = self.strings[-1]
        if last[0] == is_literal:
            self.strings[-1] = (is_literal, last[1] + value)
        else:
            self.strings.append((is_literal, value))

    def literal(self, value):
        self._add(value, True)
        return self

    def expandable(self, value):
        self._add(value, False)
        return self

    l = literal  # noqa: E741
    e = expandable

    def __str__(self):
        return "".join(s for _, s in self.strings)

    def __repr__(self):
        return "EscapedString(%r)" % (self.strings,)

    def __eq__(self, other):
        if isinstance(other, str):
            return str(self) == other
        return isinstance(other, EscapedString) and other.strings == self.strings

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __add__(self, other):
        result = self.copy()
        for is_literal, value in EscapedString.promote(other).strings:
            result._add(value, is_literal)
        return result

    def formatted(self, func):
        other = EscapedString.__new__(EscapedString)
        other.strings = [(lit, value if lit else func(value)) for lit, value in self.strings]
        return other

    def expanduser(self):
        return self.formatted(os.path.expanduser)

    @classmethod
    def join(cls, sep, values):
        if not values:
            return EscapedString("")
        it = iter(values)
        result = EscapedString.promote(next(it))
        for value in it:
            result = result + sep
            result = result + value
        return result

    @classmethod
    def promote(cls, value):
        return value if isinstance(value, EscapedString) else cls(value)

    @classmethod
    def demote(cls, value):
        return str(value) if isinstance(value, EscapedString) else value


def literal(value):
    return EscapedString(value, True)


def expandable(value):
    return EscapedString(value, False)


def _decode_value(value):
    if isinstance(value, list):
        result = None
        for item in value:
            part = EscapedString(item["text"], bool(item["literal"]))
            result = part if result is None else result + part
        return result if result is not None else ""
    return value


def _encode_value(value):
    if isinstance(value, EscapedString):
        parts = []
        for lit, text in value.strings:
            if not text:
                continue
            if parts and parts[-1][0] == lit:
                parts[-1] = (lit, parts[-1][1] + text)
            else:
                parts.append((lit, text))
        if all(not lit for lit, _ in parts):
            return str(value)
        return [{"literal": lit, "text": text} for lit, text in parts]
    if isinstance(value, (list, tuple)):
        return [_encode_value(v) for v in value]
    return value if isinstance(value, str) else str(value)


# ---------------------------------------------------------------------------------------------
# Formatting: `$X` -> `${X}`, then str.format over the rex globals
# ---------------------------------------------------------------------------------------------

_ENV_REF_FORMAT_RE = re.compile(r"\$\{([^\{\}]+?)\}|\$([a-zA-Z_][a-zA-Z0-9_]*)")
_ENV_REF_EXPAND_RE = re.compile(r"\$(\w+|\{[^}]*\})")


class NamespaceFormatter(string.Formatter):
    def __init__(self, namespace):
        string.Formatter.__init__(self)
        self.namespace = namespace

    def format(self, format_string, *args, **kwargs):
        def protect(m):
            return "${{%s}}" % next(x for x in m.groups() if x is not None)

        return string.Formatter.format(self, _ENV_REF_FORMAT_RE.sub(protect, format_string), *args, **kwargs)

    def format_field(self, value, format_spec):
        if isinstance(value, EscapedString):
            value = str(value.formatted(str))
        if isinstance(value, str):
            value = self.format(value)
        return format(value, format_spec)

    def get_value(self, key, args, kwargs):
        if isinstance(key, str):
            if not key:
                raise ValueError("zero length field name in format")
            if key in kwargs:
                return kwargs[key]
            return self.namespace[key]
        return string.Formatter.get_value(self, key, args, kwargs)


def expandvars(text, environ):
    if "$" not in text:
        return text
    i = 0
    while True:
        m = _ENV_REF_EXPAND_RE.search(text, i)
        if not m:
            return text
        i, j = m.span(0)
        name = m.group(1)
        if name.startswith("{") and name.endswith("}"):
            name = name[1:-1]
        if name in environ:
            tail = text[j:]
            text = text[:i] + environ[name]
            i = len(text)
            text += tail
        else:
            i = j


# ---------------------------------------------------------------------------------------------
# The action manager: records actions, tracks the environment
# ---------------------------------------------------------------------------------------------

class ActionManager(object):
    def __init__(self, parent_environ, parent_variables, env_sep_map, pathsep, formatter):
        self.parent_environ = parent_environ
        self.parent_variables = True if parent_variables is True else set(parent_variables or [])
        self.env_sep_map = env_sep_map
        self.pathsep = pathsep
        self.formatter = formatter
        self.environ = {}
        self.actions = []

    def _env_sep(self, name):
        return self.env_sep_map.get(name, self.pathsep)

    def _format(self, value):
        if not isinstance(value, (str, EscapedString)):
            return str(value)
        try:
            return EscapedString.promote(value).formatted(self.formatter)
        except (KeyError, ValueError):
            return value

    def _expanduser(self, text):
        if not text.startswith("~"):
            return text
        home = self.parent_environ.get("HOME")
        if home is None:
            return os.path.expanduser(text)
        i = text.find("/", 1)
        if i < 0:
            i = len(text)
        if i != 1:  # ~user: only the real system knows
            return os.path.expanduser(text)
        return home.rstrip("/") + text[i:] if home else text

    def _expand(self, value):
        def fn(s):
            s = expandvars(s, self.environ)
            s = expandvars(s, self.parent_environ)
            return self._expanduser(s)

        return EscapedString.promote(value).formatted(fn)

    def _key(self, key, raw=False):
        unexpanded = str(key) if raw else str(self._format(key))
        return unexpanded, str(self._expand(unexpanded))

    def _value(self, value, raw=False):
        unexpanded = value if raw else self._format(value)
        return unexpanded, self._expand(unexpanded)

    def _record(self, kind, **fields):
        if "key" in fields:
            _check_name("variable", fields["key"])
        elif kind == "alias":
            _check_name("alias", fields["name"])
        action = {"type": kind}
        action.update(fields)
        self.actions.append(action)

    # -- queries

    def undefined(self, key):
        _, k = self._key(key)
        return k not in self.environ and k not in self.parent_environ

    def defined(self, key):
        return not self.undefined(key)

    def expandvars(self, value, format=True):
        if format:
            value = str(self._format(value))
        return str(self._expand(value))

    def getenv(self, key):
        _, k = self._key(key)
        if k in self.environ:
            return self.environ[k]
        if k in self.parent_environ:
            return self.parent_environ[k]
        raise RexUndefinedVariableError("Referenced undefined environment variable: %s" % k)

    # -- actions

    def setenv(self, key, value, raw=False):
        ukey, key_ = self._key(key, raw)
        uvalue, evalue = self._value(value, raw)
        self._record("setenv", key=ukey, value=_encode_value(uvalue))
        self.environ[key_] = str(evalue)

    def unsetenv(self, key, raw=False):
        ukey, key_ = self._key(key, raw)
        self._record("unsetenv", key=ukey)
        self.environ.pop(key_, None)

    def resetenv(self, key, value, friends=None, raw=False):
        ukey, key_ = self._key(key, raw)
        uvalue, evalue = self._value(value, raw)
        if friends is None:
            self._record("resetenv", key=ukey, value=_encode_value(uvalue))
        else:
            self._record("resetenv", key=ukey, value=_encode_value(uvalue), friends=[str(f) for f in friends])
        self.environ[key_] = str(evalue)

    def _pendenv(self, kind, key, value, prepend, raw=False, inherit=False):
        ukey, key_ = self._key(key, raw)
        uvalue, evalue = self._value(value, raw)
        if key_ not in self.environ:
            # Rez's parent variables adopt the parent value (or ""); pkg-rs style `inherit` only a
            # value the parent really has. Either way shells get a saferefenv to reference it.
            if self.parent_variables is True or key_ in self.parent_variables:
                self.environ[key_] = self.parent_environ.get(key_, "")
                self._record("saferefenv", key=ukey)
            elif inherit and self.parent_environ.get(key_):
                self.environ[key_] = self.parent_environ[key_]
                self._record("saferefenv", key=ukey)
        if key_ in self.environ:
            sep = self._env_sep(key_)
            self._record(kind, key=ukey, value=_encode_value(uvalue))
            parts = self.environ[key_].split(sep)
            parts = [str(evalue)] + parts if prepend else parts + [str(evalue)]
            self.environ[key_] = sep.join(parts)
        else:
            self._record("setenv", key=ukey, value=_encode_value(uvalue))
            self.environ[key_] = str(evalue)

    def appendenv(self, key, value, raw=False, inherit=False):
        self._pendenv("appendenv", key, value, False, raw, inherit)

    def prependenv(self, key, value, raw=False, inherit=False):
        self._pendenv("prependenv", key, value, True, raw, inherit)

    def alias(self, key, value):
        self._record("alias", name=str(self._format(key)), command=str(self._format(value)))

    def info(self, value=""):
        self._record("info", message=_encode_value(self._format(value)))

    def error(self, value):
        self._record("error", message=_encode_value(self._format(value)))

    def stop(self, msg, *nargs):
        raise RexStopError(msg % nargs)

    def command(self, value):
        # deliberately not formatted, as in Rez
        if isinstance(value, (list, tuple)):
            self._record("command", command=[_encode_value(v) for v in value])
        else:
            self._record("command", command=str(value))

    def comment(self, value):
        self._record("comment", text=str(self._format(value)))

    def source(self, value):
        self._record("source", path=str(self._format(value)))

    def shebang(self):
        self._record("shebang")


# ---------------------------------------------------------------------------------------------
# `env` object
# ---------------------------------------------------------------------------------------------

class EnvironmentVariable(object):
    def __init__(self, name, manager):
        self._name = name
        self._manager = manager

    @property
    def name(self):
        return self._name

    def prepend(self, value):
        self._manager.prependenv(self._name, value)

    def append(self, value):
        self._manager.appendenv(self._name, value)

    def reset(self, value, friends=None):
        self._manager.resetenv(self._name, value, friends=friends)

    def set(self, value):
        self._manager.setenv(self._name, value)

    def unset(self):
        self._manager.unsetenv(self._name)

    def get(self):
        return self._manager.getenv(self._name)

    def value(self):
        return self.get()

    def setdefault(self, value):
        if not self:
            self.set(value)

    def __str__(self):
        return self.value()

    def __repr__(self):
        return "EnvironmentVariable(%r, %r)" % (self._name, self.value())

    def __bool__(self):
        try:
            return bool(self.value())
        except RexUndefinedVariableError:
            return False

    def __eq__(self, other):
        if isinstance(other, EnvironmentVariable):
            other = other.value()
        return self.value() == other

    def __ne__(self, other):
        return not self == other

    __hash__ = None


class EnvironmentDict(MutableMapping):
    """`env`: item and attribute access both yield EnvironmentVariable objects (never KeyError)."""

    def __init__(self, manager):
        object.__setattr__(self, "_manager", manager)
        object.__setattr__(self, "_vars", dict(
            (k, EnvironmentVariable(k, manager)) for k in manager.parent_environ))

    def __getitem__(self, key):
        if key not in self._vars:
            self._vars[key] = EnvironmentVariable(key, self._manager)
        return self._vars[key]

    def __setitem__(self, key, value):
        self[key].set(value)

    def __delitem__(self, key):
        del self._vars[key]

    def __contains__(self, key):
        return key in self._vars

    def __iter__(self):
        return iter(list(self._vars))

    def __len__(self):
        return len(self._vars)

    def keys(self):
        return self._vars.keys()

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return self[attr]

    def __setattr__(self, attr, value):
        self[attr] = value

    def __repr__(self):
        return "EnvironmentDict(%r)" % (self._vars,)


# ---------------------------------------------------------------------------------------------
# Bindings (built from plain data)
# ---------------------------------------------------------------------------------------------

class Binding(object):
    def __init__(self, data=None):
        self._data = data or {}

    def _attr_error(self, attr):
        raise AttributeError("%s has no attribute '%s'" % (self.__class__.__name__, attr))

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        try:
            return self._data[attr]
        except KeyError:
            self._attr_error(attr)


class AttrDict(dict):
    """Plain data with attribute access (`system.platform`)."""

    def __getattr__(self, attr):
        try:
            return self[attr]
        except KeyError:
            raise AttributeError("'%s' object has no attribute '%s'" % (self.__class__.__name__, attr))


def _to_attr(value):
    if isinstance(value, dict) and value.get("kind") != "source":
        return AttrDict((k, _to_attr(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_to_attr(v) for v in value]
    return value


class VersionBinding(Binding):
    def __init__(self, version):
        Binding.__init__(self)
        self._version = version if isinstance(version, Version) else Version(str(version))

    @property
    def major(self):
        return self[0]

    @property
    def minor(self):
        return self[1]

    @property
    def patch(self):
        return self[2]

    def as_tuple(self):
        return self[:len(self)]

    def _attr_error(self, attr):
        raise AttributeError("version %s has no attribute '%s'" % (str(self), attr))

    @staticmethod
    def _convert(token):
        if token.isdigit() and (token[0] != "0" or token == "0"):
            return int(token)
        return token

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self._convert(t) for t in self._version.tokens[i])
        try:
            return self._convert(self._version.tokens[i])
        except IndexError:
            return None

    def __len__(self):
        return len(self._version)

    def __str__(self):
        return str(self._version)

    def __format__(self, spec):
        return format(str(self), spec)

    def __iter__(self):
        return iter(self._version.tokens)

    def __eq__(self, other):
        return str(self) == str(other)

    def __ne__(self, other):
        return not self == other

    __hash__ = None


# Attributes of Rez's package schema: None when the package does not define them.
PACKAGE_SCHEMA_KEYS = frozenset((
    "description", "authors", "requires", "build_requires", "private_build_requires", "has_plugins",
    "plugin_for", "uuid", "tools", "help", "hashed_variants", "relocatable", "cachable", "tests",
    "pre_commands", "commands", "post_commands", "pre_build_commands", "pre_test_commands", "timestamp",
    "revision", "changelog", "release_message", "previous_version", "previous_revision", "vcs", "variants"))

# Rez gives these as lists of PackageRequest objects.
REQUIREMENT_LIST_KEYS = ("requires", "build_requires", "private_build_requires")


def _requirements(value):
    if not isinstance(value, list):
        return value
    return [Requirement(r) if isinstance(r, str) else r for r in value]


class VariantBinding(Binding):
    """`this` / `resolve.<name>`. Data: {name, version, root, base, index, uri,
    qualified_name, qualified_package_name, attributes: {...}} (late attributes as SourceCode dicts)."""

    def __init__(self, data, late_globals):
        Binding.__init__(self, {"version": VersionBinding(data.get("version", ""))})
        self._variant = data
        self._attributes = data.get("attributes") or {}
        self._late_globals = late_globals
        self._late_cache = {}

    @property
    def root(self):
        return self._variant.get("root")

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        if attr in self._data:
            return self._data[attr]
        if attr in ("is_package",):
            return False
        if attr in ("is_variant",):
            return True
        if attr == "variant_requires":
            return _requirements(list(self._variant.get("variant_requires") or []))
        if attr == "requires" and not self.is_package:
            # Rez's Variant.requires: the package's requirements, then the variant's
            return (self._package_attr(attr) or []) + self.variant_requires
        if attr in self._variant and attr != "attributes":
            return _to_attr(self._variant[attr])
        return self._package_attr(attr)

    def _package_attr(self, attr):
        if attr in self._attributes:
            value = self._attributes[attr]
            if isinstance(value, dict) and value.get("kind") == "source":
                if value.get("late"):
                    value = self._late_value(attr)
                else:
                    return value.get("source")
            else:
                value = _to_attr(value)
            return _requirements(value) if attr in REQUIREMENT_LIST_KEYS else value
        if attr in PACKAGE_SCHEMA_KEYS:
            return None
        raise AttributeError("package %s has no attribute '%s'" % (str(self), attr))

    def _late_value(self, attr):
        """A @late attribute, evaluated on first use with this binding as `this` (Rez caches it per wrapper)."""
        if attr not in self._late_cache:
            self._late_cache[attr] = _eval_late(self._attributes[attr], self, self._late_globals)
        return self._late_cache[attr]

    def _is_in_package_cache(self):
        return False

    def __str__(self):
        return self._variant.get("qualified_package_name") or "%s-%s" % (
            self._variant.get("name"), self._variant.get("version"))

    def __format__(self, spec):
        return format(str(self), spec)


class PackageBinding(VariantBinding):
    """`this` in a late function evaluated for the solver: Rez's Package wrapper (a variant's
    `requires` forward to its parent package, so `this.is_package` is True there)."""

    is_package = True
    is_variant = False


class RO_MappingBinding(Binding):
    def get(self, name, default=None):
        return self._data.get(name, default)

    def __getitem__(self, name):
        if name in self._data:
            return self._data[name]
        self._attr_error(name)

    def __contains__(self, name):
        return name in self._data

    def __str__(self):
        return str(self._data.values())


class VariantsBinding(RO_MappingBinding):
    def _attr_error(self, attr):
        raise AttributeError("package does not exist: '%s'" % attr)


class RequirementsBinding(RO_MappingBinding):
    def __init__(self, requirements):
        RO_MappingBinding.__init__(self, dict((Requirement(r).name, r) for r in requirements))

    def _attr_error(self, attr):
        raise AttributeError("request does not exist: '%s'" % attr)

    def get_range(self, name, default=None):
        req_str = self._data.get(name)
        if req_str:
            return Requirement(req_str).range
        if default is not None:
            return VersionRange(default)
        return None


class EphemeralsBinding(RequirementsBinding):
    def __init__(self, ephemerals):
        RO_MappingBinding.__init__(self, dict((Requirement(r).name[1:], r) for r in ephemerals))

    def _attr_error(self, attr):
        raise AttributeError("ephemeral does not exist: '%s'" % attr)


def intersects(obj, range_):
    range1 = VersionRange(range_)
    if isinstance(obj, str):
        req = Requirement(obj)
        if req.conflict:
            return False
        range2 = req.range
    elif isinstance(obj, VersionRange):
        range2 = obj
    elif isinstance(obj, VariantBinding):
        range2 = VersionRange(str(obj.version))
    elif isinstance(obj, VersionBinding):
        range2 = VersionRange(str(obj))
    else:
        raise RuntimeError("Invalid type %s passed as first arg to 'intersects'" % type(obj))
    return range1.intersects(range2)


def _make_optionvars(data):
    def optionvars(name, default=None):
        value = data or {}
        parts = name.split(".")
        for i, key in enumerate(parts):
            if not isinstance(value, dict):
                raise RexError("Optionvar %r is invalid because %r is not a dict"
                               % (name, ".".join(parts[:i])))
            value = value.get(key, KeyError)
            if value is KeyError:
                return default
        return value

    return optionvars


def _identity_decorator(*_args, **_kwargs):
    def decorated(fn):
        return fn

    return decorated


def _eval_late(code, this, late_globals):
    """Evaluate a @late attribute: define the function, call it with `this` bound."""
    g = dict(late_globals)
    g.update({"this": this, "late": _identity_decorator, "early": _identity_decorator,
              "include": _identity_decorator, "in_context": late_globals.get("in_context", lambda: True)})
    filename = code.get("file") or "<string>"
    offset = max(int(code.get("line") or 1) - 1, 0)
    try:
        module = ast.parse(code["source"], filename=filename)
    except SyntaxError as e:
        _shift_syntax_error(e, filename, offset)
        raise
    ast.increment_lineno(module, offset)
    exec(compile(module, filename, "exec"), g)
    funcs = [n.name for n in module.body if isinstance(n, ast.FunctionDef)]
    if not funcs:
        raise RexError("late-bound attribute has no function")
    return _to_attr(g[funcs[-1]]())


# ---------------------------------------------------------------------------------------------
# Compiling package code
# ---------------------------------------------------------------------------------------------

def _compile_block(source, filename, first_line):
    """Compile a `def commands():` function's body (or a plain block) as a module-level block,
    keeping line numbers of the file. Returns (code object, [include module names])."""
    offset = max(first_line - 1, 0)
    try:
        module = ast.parse(source, filename=filename)
    except SyntaxError as e:
        # The line of the file, not of the function's text.
        _shift_syntax_error(e, filename, offset)
        raise
    includes = []
    body = module.body
    funcs = [n for n in body if isinstance(n, ast.FunctionDef)]
    if len(body) == 1 and funcs:
        func = funcs[0]
        for deco in func.decorator_list:
            if isinstance(deco, ast.Call) and getattr(deco.func, "id", None) == "include":
                includes.extend(a.value for a in deco.args if isinstance(a, ast.Constant))
        body = func.body
    block = ast.Module(body=body, type_ignores=[])
    ast.increment_lineno(block, offset)
    return compile(block, filename, "exec"), includes


def _shift_syntax_error(e, filename, offset):
    """Moves a SyntaxError raised for a function's text to the lines of the file it came from."""
    if e.lineno is not None:
        e.lineno += offset
    if getattr(e, "end_lineno", None) is not None:
        e.end_lineno += offset
    e.filename = filename


def _load_include(name, base):
    path = os.path.join(base or "", ".rez", "include", name + ".py")
    if not base or not os.path.isfile(path):
        return None
    import types
    module = types.ModuleType(name)
    module.__file__ = path
    with open(path) as f:
        exec(compile(f.read(), path, "exec"), module.__dict__)
    return module


def _error_line(tb, filename):
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------

def _context_globals(bindings):
    """What Rez's ResolvedContext._get_pre_resolve_bindings gives Rex and late functions (minus `system`)."""
    return {
        "building": bool(bindings.get("building", False)),
        "testing": bool(bindings.get("testing", False)),
        "request": RequirementsBinding(bindings.get("request") or []),
        "implicits": RequirementsBinding(bindings.get("implicits") or []),
        "ephemerals": EphemeralsBinding(bindings.get("ephemerals") or []),
        "intersects": intersects,
    }


def execute_commands(request):
    parent_environ = dict(request.get("parent_environ") or {})
    bindings = request.get("bindings") or {}
    seps = {"CMAKE_MODULE_PATH": ";", "DOXYGEN_TAGFILES": " "}
    if request.get("env_var_separators") is not None:
        seps = dict(request["env_var_separators"])

    rex_globals = {}
    formatter = NamespaceFormatter(rex_globals)
    manager = ActionManager(parent_environ, request.get("parent_variables"), seps,
                            request.get("pathsep") or os.pathsep, formatter.format)

    def expand(value):
        return formatter.format(value)

    rex_globals.update({
        "format": expand, "literal": literal, "expandable": expandable,
        "optionvars": _make_optionvars(request.get("optionvars")),
        "env": EnvironmentDict(manager),
        "system": _to_attr(bindings.get("system") or {}),
    })
    for name in ("setenv", "unsetenv", "resetenv", "prependenv", "appendenv", "alias", "info",
                 "error", "stop", "command", "comment", "source", "shebang", "getenv",
                 "expandvars", "defined", "undefined"):
        rex_globals[name] = getattr(manager, name)

    context_globals = _context_globals(bindings)
    rex_globals.update(context_globals)
    late_globals = dict(context_globals, system=rex_globals["system"])
    variants = {}
    for name, data in (bindings.get("resolve") or {}).items():
        variants[name] = VariantBinding(data, late_globals)
    if variants or "resolve" in bindings:
        rex_globals["resolve"] = VariantsBinding(variants)
        late_globals["resolve"] = rex_globals["resolve"]

    if request.get("shebang"):
        manager.shebang()

    error = None
    for step in request.get("steps") or []:
        op = step.get("op")
        try:
            if op == "code":
                _run_code(step, rex_globals, variants, late_globals)
            else:
                _apply_step(manager, step)
        except Exception as e:  # noqa: BLE001 - every failure is reported to the caller
            error = _describe_error(e, step)
            break

    return {"actions": manager.actions, "environ": manager.environ, "error": error}


def _apply_step(manager, step):
    op = step["op"]
    raw = bool(step.get("raw"))
    value = _decode_value(step.get("value"))
    if op == "setenv":
        manager.setenv(step["key"], value, raw=raw)
    elif op == "unsetenv":
        manager.unsetenv(step["key"], raw=raw)
    elif op == "resetenv":
        manager.resetenv(step["key"], value, step.get("friends"), raw=raw)
    elif op in ("appendenv", "prependenv"):
        getattr(manager, op)(step["key"], value, raw=raw, inherit=bool(step.get("inherit")))
    elif op == "alias":
        manager.alias(step["key"], value)
    elif op in ("info", "error", "comment", "source"):
        getattr(manager, op)(value if value is not None else "")
    elif op == "command":
        manager.command(value)
    elif op == "shebang":
        manager.shebang()
    else:
        raise RexError("unknown step op: %r" % op)


def _run_code(step, rex_globals, variants, late_globals):
    filename = step.get("file") or "<string>"
    pyc, includes = _compile_block(step.get("source") or "", filename, int(step.get("line") or 1))
    saved = dict(rex_globals)
    try:
        package = step.get("package")
        # A package outside the resolve (the one being built: pre_build_commands) brings its own `this`.
        own = step.get("this")
        variant = VariantBinding(own, late_globals) if isinstance(own, dict) else variants.get(package) if package else None
        for name, value in (step.get("globals") or {}).items():
            rex_globals[name] = _to_attr(value)
        if variant is not None:
            rex_globals["this"] = variant
            rex_globals["version"] = variant.version
            rex_globals["root"] = variant.root
            rex_globals["base"] = variant._variant.get("base")
        for name in includes:
            module = _load_include(name, step.get("includes_base") or rex_globals.get("base"))
            if module is not None:
                rex_globals[name] = module
        exec(pyc, rex_globals)
    finally:
        rex_globals.clear()
        rex_globals.update(saved)


def _package_traceback(exc):
    # frames of this module are noise to the package author
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
    lines = ["Traceback (most recent call last):\n"] + traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


def _describe_error(exc, step):
    if isinstance(exc, RexError):
        kind = type(exc).__name__
    elif isinstance(exc, SyntaxError):
        kind = "SyntaxError"
    else:
        kind = "RexError"  # Rez wraps native exceptions in RexError
    filename = step.get("file")
    line = None
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    elif filename:
        line = _error_line(exc.__traceback__, filename)
    return {
        "type": kind,
        "exception": type(exc).__name__,
        "message": str(exc),
        "package": step.get("package"),
        "attr": step.get("attr"),
        "file": filename,
        "line": line,
        "traceback": _package_traceback(exc),
    }


LATE_REQUIRES_KEYS = ("requires", "build_requires", "private_build_requires")


class LateBindingError(Exception):
    pass


def _validate_late_requires(value):
    """Rez's late_requires_schema: a list whose items are requirement strings (or requirement objects)."""
    if not isinstance(value, list):
        raise LateBindingError("must return a list of requirement strings, not %s: %r"
                               % (type(value).__name__, value))
    out = []
    for item in value:
        if isinstance(item, Requirement):
            item = str(item)
        if not isinstance(item, str):
            raise LateBindingError("must return a list of requirement strings, but an item is %s: %r"
                                   % (type(item).__name__, item))
        out.append(item)
    return out


def _describe_late_error(exc, code, package, attr):
    filename = code.get("file")
    if isinstance(exc, LateBindingError):
        kind, line, tb = "LateBindingError", code.get("line"), None
    else:
        kind = type(exc).__name__
        if isinstance(exc, SyntaxError):
            line = exc.lineno if exc.filename == filename else None
            tb = "".join(traceback.format_exception_only(type(exc), exc))
        else:
            line = _error_line(exc.__traceback__, filename)
            tb = _package_traceback(exc)
    return {
        "exception": kind,
        "message": str(exc),
        "package": package,
        "attr": attr,
        "file": filename,
        "line": line,
        "traceback": tb,
    }


def evaluate_late(request):
    """Late-bound requirement attributes of packages, as the solver sees them during a resolve
    (Rez: Package.set_context(context), then _eval_late_binding + late_requires_schema).

    request: {"bindings": {system, building, testing, request, implicits, ephemerals},
              "in_context": false for an evaluation outside a context (no bindings, in_context() False),
              "packages": [{name, version, base, uri, qualified_name, attributes, evaluate: [attr, ...]}]}
    result:  {"packages": [{"values": {attr: [str, ...]}, "errors": {attr: {...}}}]} (same order)."""
    bindings = request.get("bindings") or {}
    late_globals = dict(_context_globals(bindings), system=_to_attr(bindings.get("system") or {}))
    if request.get("in_context") is False:
        # Rez outside a context (rez-test reading `tests`): only `this` and in_context() False
        late_globals = {"in_context": lambda: False}
    results = []
    for data in request.get("packages") or []:
        this = PackageBinding(data, late_globals)
        qualified = data.get("qualified_name") or data.get("name")
        values = {}
        errors = {}
        for attr in data.get("evaluate") or []:
            code = this._attributes.get(attr)
            if not (isinstance(code, dict) and code.get("kind") == "source" and code.get("late")):
                continue
            try:
                value = this._late_value(attr)
                values[attr] = _validate_late_requires(value) if attr in LATE_REQUIRES_KEYS else _plain_data(value)
            except Exception as e:  # noqa: BLE001 - reported to the caller, which names package, file and line
                errors[attr] = _describe_late_error(e, code, qualified, attr)
        results.append({"values": values, "errors": errors})
    return {"packages": results}


class InvalidPackageError(Exception):
    """Raised by a preprocess function to refuse the package (Rez's rez.exceptions.InvalidPackageError)."""


def _plain_data(value):
    """Package data as JSON again after a preprocess: functions it added become source code."""
    if isinstance(value, dict):
        return dict((str(k), _plain_data(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain_data(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if callable(value):
        import inspect
        import textwrap

        try:
            source = textwrap.dedent(inspect.getsource(value))
            line = inspect.getsourcelines(value)[1]
            filename = inspect.getsourcefile(value) or "<preprocess>"
        except (OSError, TypeError):
            raise RexError("preprocess added a function whose source cannot be read: %r" % (value,))
        return {"kind": "source", "source": source, "late": False, "file": filename, "line": line}
    return str(value)


def _local_preprocess(code):
    g = {"InvalidPackageError": InvalidPackageError, "late": _identity_decorator, "early": _identity_decorator, "include": _identity_decorator}
    filename = code.get("file") or "<string>"
    offset = max(int(code.get("line") or 1) - 1, 0)
    module = ast.parse(code["source"], filename=filename)
    ast.increment_lineno(module, offset)
    exec(compile(module, filename, "exec"), g)
    funcs = [n.name for n in module.body if isinstance(n, ast.FunctionDef)]
    return g[funcs[-1]] if funcs else None


def _global_preprocess(path, messages):
    if "." not in path:
        messages.append(["error", "Setting 'package_preprocess_function' must be of form 'module[.module.module...].funcname'. Package preprocessing has not been applied."])
        return None
    name, funcname = path.rsplit(".", 1)
    try:
        module = __import__(name, fromlist=[funcname])
    except Exception as e:  # noqa: BLE001 - Rez reports it and builds without preprocessing
        messages.append(["error", "Failed to load preprocessing function '%s': %s" % (path, e)])
        return None
    setattr(module, "InvalidPackageError", InvalidPackageError)
    func = getattr(module, funcname, None)
    if not callable(func):
        messages.append(["error", "Function '%s' not found" % path])
        return None
    return func


def run_preprocess(request):
    """Rez's DeveloperPackage._get_preprocessed: the package's `preprocess(this, data)` and/or the configured
    `package_preprocess_function`, in the order `mode` says, on a copy of the package's data.

    request: {name, version, attributes, local: SourceCode dict | None, global: "module.func" | None,
              mode: "override" | "before" | "after", paths: [dir]}
    result:  {data: attributes | None (None: nothing applied or a failure), messages: [[level, text]],
              invalid: message | None (an InvalidPackageError: the package is refused)}."""
    import copy

    messages = []
    attributes = request.get("attributes") or {}
    sys.path[:0] = [str(p) for p in request.get("paths") or []]
    local = _local_preprocess(request["local"]) if request.get("local") else None
    global_ = _global_preprocess(request["global"], messages) if request.get("global") else None
    mode = request.get("mode") or "override"
    if mode == "after":
        functions = [(global_, "global"), (local, "local")]
    elif mode == "before":
        functions = [(local, "local"), (global_, "global")]
    else:
        functions = [(local, "local") if local else (global_, "global")]
    data = copy.deepcopy(attributes)
    this = PackageBinding({"name": request.get("name"), "version": request.get("version") or "", "attributes": attributes}, {})
    applied = False
    for function, level in functions:
        if function is None:
            continue
        messages.append(["info", "Applying %s preprocess function" % level])
        try:
            function(this=this, data=data)
            applied = True
        except InvalidPackageError as e:
            return {"data": None, "messages": messages, "invalid": str(e)}
        except Exception as e:  # noqa: BLE001 - Rez reports it and builds without preprocessing
            messages.append(["error", "Failed to apply preprocess: %s: %s" % (e.__class__.__name__, e)])
            return {"data": None, "messages": messages, "invalid": None}
    return {"data": _plain_data(data) if applied else None, "messages": messages, "invalid": None}


if __name__ == "__main__":
    # standalone use (tests, debugging): one JSON request on stdin, one JSON response on stdout
    incoming = json.load(sys.stdin)
    handler = evaluate_late if incoming.get("op") == "late" else execute_commands
    sys.stdout.write(json.dumps(handler(incoming)))
    sys.stdout.write("\n")
