# pkg Python worker: evaluates package definitions (and later Rex code) for the TypeScript side.
#
# Protocol: JSON lines on a channel of its own: requests arrive on fd 3, answers leave on fd 4 (stdin is
# /dev/null, stdout goes to stderr, so package code that reads or prints cannot touch the protocol).
# Each request is one line {"id": <int>, "op": <str>, ...params}; each answer is one line
# {"id": <same>, "ok": true, "result": {...}} or
# {"id": <same>, "ok": false, "error": {"message": str, "line": int|null, "traceback": str|null}}.
# On start the worker writes {"id": 0, "ok": true, "result": {"ready": true, "protocol": 2, "python": "3.x.y"}}.
# Requests are answered one at a time, in the order they came. Ops are looked up in OPS; add new ones there.
# The worker exits when the request channel reaches EOF or its parent process goes away.

import ast
import builtins
import inspect
import json
import linecache
import os
import re
import sys
import textwrap
import traceback
import types

PROTOCOL = 2
REQUEST_FD = 3
ANSWER_FD = 4
REX_KEYS = ("pre_commands", "commands", "post_commands", "pre_build_commands", "pre_test_commands")
GET_PACKAGE_RE = re.compile(r"^def\s+get_package\s*\(", re.M)


class WorkerError(Exception):
    def __init__(self, message, line=None, tb=None, transient=False):
        Exception.__init__(self, message)
        self.message = message
        self.line = line
        self.tb = tb
        # Not the file's own fault (it could not be read): the answer must not be cached.
        self.transient = transient


# ---------------------------------------------------------------------------------------------
# Rez package.py globals (same names as Rez's serialise.load_py)


def _add_decorator(fn, name, **kwargs):
    decorators = getattr(fn, "_decorators", None)
    if decorators is None:
        decorators = []
        setattr(fn, "_decorators", decorators)
    decorators.append(dict(name=name, **kwargs))


def early():
    def decorated(fn):
        fn._early = True
        _add_decorator(fn, "early")
        return fn

    return decorated


def late():
    def decorated(fn):
        fn._late = True
        _add_decorator(fn, "late")
        return fn

    return decorated


def include(module_name, *module_names):
    names = [module_name] + list(module_names)

    def decorated(fn):
        fn._includes = set(names)
        _add_decorator(fn, "include", nargs=names)
        return fn

    return decorated


class InvalidPackageError(Exception):
    pass


class ModifyList(object):
    def __init__(self, append=None, prepend=None):
        self.append = list(append or [])
        self.prepend = list(prepend or [])

    def apply(self, v):
        return self.prepend + list(v or []) + self.append


class _Attribute(object):
    """An attribute tree for `with scope("config") as config: config.a.b = 1`."""

    def __init__(self):
        object.__setattr__(self, "_data", {})

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        data = object.__getattribute__(self, "_data")
        if name not in data:
            data[name] = _Attribute()
        return data[name]

    def __setattr__(self, name, value):
        object.__getattribute__(self, "_data")[name] = value

    def to_dict(self):
        out = {}
        for k, v in object.__getattribute__(self, "_data").items():
            out[k] = v.to_dict() if isinstance(v, _Attribute) else v
        return out


class _Scopes(object):
    def __init__(self):
        self.roots = {}
        self.stack = []

    def __call__(self, name):
        self.pending = name
        return self

    def __enter__(self):
        name = self.pending
        parent = self.stack[-1] if self.stack else None
        if parent is None:
            attr = self.roots.get(name)
            if attr is None:
                attr = self.roots[name] = _Attribute()
        else:
            attr = getattr(parent, name)
        self.stack.append(attr)
        return attr

    def __exit__(self, *exc):
        self.stack.pop()
        return False

    def to_dict(self):
        return dict((k, v.to_dict()) for k, v in self.roots.items())


class _EarlyThis(object):
    def __init__(self, data):
        self._data = data

    def __getattr__(self, attr):
        missing = object()
        value = self._data.get(attr, missing)
        if value is missing:
            raise AttributeError("No such package attribute '%s'" % attr)
        if inspect.isfunction(value) and (hasattr(value, "_early") or hasattr(value, "_late")):
            raise ValueError(
                "An early binding function cannot refer to another early or late binding function: '%s'" % attr
            )
        return value


# ---------------------------------------------------------------------------------------------
# pkg-rs shim module: plain Python classes, so in-place list mutation works.

_EVAR_ACTIONS = ("set", "append", "insert")


class Action(object):
    Set = "set"
    Append = "append"
    Insert = "insert"


class Evar(object):
    def __init__(self, name, value, action=None):
        self.name = name
        self.value = value
        self.action = "append" if action is None else action

    def __setattr__(self, key, value):
        if key == "action":
            text = str(value).lower()
            if text not in _EVAR_ACTIONS:
                raise ValueError("invalid action '%s', expected: set, append, insert" % value)
            value = text
        object.__setattr__(self, key, value)

    def to_dict(self):
        return {"name": self.name, "value": self.value, "action": self.action}

    @staticmethod
    def from_dict(d):
        return Evar(d["name"], d["value"], d.get("action"))

    def __repr__(self):
        return 'Evar("%s", "%s", action="%s")' % (self.name, self.value, self.action)

    def __eq__(self, other):
        return isinstance(other, Evar) and self.to_dict() == other.to_dict()

    def __hash__(self):
        return hash((self.name, self.value, self.action))


class Env(object):
    def __init__(self, name, evars=None):
        self.name = name
        self.evars = list(evars or [])

    def add(self, evar):
        self.evars.append(evar)
        return self

    def get(self, name):
        for e in self.evars:
            if e.name.lower() == name.lower():
                return e
        return None

    def get_all(self, name):
        return [e for e in self.evars if e.name.lower() == name.lower()]

    def remove(self, name):
        self.evars = [e for e in self.evars if e.name.lower() != name.lower()]

    def names(self):
        seen, out = set(), []
        for e in self.evars:
            if e.name.lower() not in seen:
                seen.add(e.name.lower())
                out.append(e.name)
        return out

    def is_empty(self):
        return not self.evars

    def merge(self, other):
        return Env(self.name, self.evars + other.evars)

    __add__ = merge

    def __len__(self):
        return len(self.evars)

    def __iter__(self):
        return iter(self.evars)

    def to_dict(self):
        return {"name": self.name, "evars": [e.to_dict() for e in self.evars]}

    @staticmethod
    def from_dict(d):
        return Env(d["name"], [Evar.from_dict(e) for e in d.get("evars", [])])

    def __repr__(self):
        return 'Env("%s", %d evars)' % (self.name, len(self.evars))


class App(object):
    def __init__(self, name, path=None, env_name=None, args=None, cwd=None, properties=None):
        self.name = name
        self.path = path
        self.env_name = env_name
        self.args = list(args or [])
        self.cwd = cwd
        self.properties = dict(properties or {})

    def with_path(self, path):
        self.path = str(path)
        return self

    def with_env(self, env_name):
        self.env_name = env_name
        return self

    def with_cwd(self, cwd):
        self.cwd = str(cwd)
        return self

    def with_arg(self, arg):
        self.args.append(arg)
        return self

    def with_property(self, key, value):
        self.properties[key] = value
        return self

    def get_prop(self, key):
        return self.properties.get(key)

    def set_prop(self, key, value):
        self.properties[key] = value

    def remove_prop(self, key):
        return self.properties.pop(key, None)

    def has_prop(self, key):
        return key in self.properties

    def is_hidden(self):
        return self.properties.get("hidden") in ("true", "1")

    def build_args(self, extra=None):
        return self.args + list(extra or [])

    def to_dict(self):
        return {
            "name": self.name,
            "path": None if self.path is None else str(self.path),
            "env_name": self.env_name,
            "args": [str(a) for a in self.args],
            "cwd": None if self.cwd is None else str(self.cwd),
            "properties": dict((str(k), str(v)) for k, v in self.properties.items()),
        }

    @staticmethod
    def from_dict(d):
        return App(d["name"], d.get("path"), d.get("env_name"), d.get("args"), d.get("cwd"), d.get("properties"))

    def __repr__(self):
        return 'App("%s")' % self.name


class Package(object):
    def __init__(self, base, version):
        self.base = base
        self.version = version
        self.envs = []
        self.apps = []
        self.reqs = []
        self.tags = []
        self.icon = None
        self.package_source = None

    @property
    def name(self):
        return "%s-%s" % (self.base, self.version)

    def add_env(self, env):
        self.envs.append(env)

    def add_app(self, app):
        self.apps.append(app)

    def add_req(self, req):
        self.reqs.append(req)

    def add_tag(self, tag):
        if tag not in self.tags:
            self.tags.append(tag)

    def has_tag(self, tag):
        return tag in self.tags

    def has_req(self, base):
        return any(r == base or r.startswith(base + "@") for r in self.reqs)

    def env(self, name=None, deps=True):
        if name is None:
            return list(self.envs)
        for e in self.envs:
            if e.name == name:
                return e
        return None

    def app(self, name=None, deps=True):
        if name is None:
            return list(self.apps)
        for a in self.apps:
            if a.name == name:
                return a
        return None

    def env_names(self):
        return [e.name for e in self.envs]

    def app_names(self):
        return [a.name for a in self.apps]

    def default_env(self):
        return self.env("default") or (self.envs[0] if self.envs else None)

    def default_app(self):
        return self.app(self.base) or (self.apps[0] if self.apps else None)

    def to_dict(self):
        return {
            "name": self.name,
            "base": self.base,
            "version": self.version,
            "envs": [e.to_dict() for e in self.envs],
            "apps": [a.to_dict() for a in self.apps],
            "reqs": list(self.reqs),
            "deps": [],
            "tags": list(self.tags),
            "icon": self.icon,
        }

    @staticmethod
    def from_dict(d):
        for key in ("base", "version"):
            if key not in d:
                raise ValueError("Invalid dict format: missing '%s'" % key)
        p = Package(d["base"], d["version"])
        p.envs = [Env.from_dict(e) for e in d.get("envs", [])]
        p.apps = [App.from_dict(a) for a in d.get("apps", [])]
        p.reqs = list(d.get("reqs", []))
        p.tags = list(d.get("tags", []))
        p.icon = d.get("icon")
        return p

    def __repr__(self):
        return 'Package("%s", "%s", %d envs, %d apps, %d reqs)' % (
            self.base,
            self.version,
            len(self.envs),
            len(self.apps),
            len(self.reqs),
        )


def _make_pkg_module():
    mod = types.ModuleType("pkg")
    for cls in (Package, Env, Evar, App, Action):
        setattr(mod, cls.__name__, cls)
    mod.__all__ = ["Package", "Env", "Evar", "App", "Action"]
    return mod


# ---------------------------------------------------------------------------------------------
# Helpers


def _line_in_file(tb, path):
    """The innermost traceback line that is inside the package file."""
    line = None
    for frame in traceback.extract_tb(tb):
        if frame.filename == path:
            line = frame.lineno
    return line


def _error_from_exception(exc, path, prefix):
    if isinstance(exc, SyntaxError) and exc.filename == path:
        message = "%s: %s: %s" % (prefix, type(exc).__name__, exc.msg)
        return WorkerError(message, exc.lineno, None)
    tb = exc.__traceback__
    frames = [f for f in traceback.extract_tb(tb) if f.filename == path]
    stack = "".join(traceback.format_list(frames)).rstrip()
    message = "%s: %s: %s" % (prefix, type(exc).__name__, exc)
    return WorkerError(message, _line_in_file(tb, path), stack or None)


def _function_source(fn, path):
    lines, first = inspect.getsourcelines(fn)
    return textwrap.dedent("".join(lines)).rstrip(), first


def _source_code(fn, path, late):
    source, line = _function_source(fn, path)
    return {"kind": "source", "source": source, "late": late, "file": path, "line": line}


def _to_json_value(value, where, warnings):
    """Plain JSON data, or raises _Unserialisable."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Unserialisable(where, value)
        return value
    if isinstance(value, (list, tuple)):
        return [_to_json_value(v, "%s[%d]" % (where, i), warnings) for i, v in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        items = [_to_json_value(v, where, warnings) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=repr)
    if isinstance(value, dict):
        if value.get("kind") == "source" and "source" in value and "late" in value:
            return value
        out = {}
        for k, v in value.items():
            if isinstance(k, bool) or k is None or isinstance(k, (int, float)):
                k = json.dumps(k)
            elif not isinstance(k, str):
                raise _Unserialisable("%s key" % where, k)
            out[k] = _to_json_value(v, "%s.%s" % (where, k), warnings)
        return out
    if isinstance(value, ModifyList):
        return {
            "kind": "modify_list",
            "prepend": _to_json_value(value.prepend, where, warnings),
            "append": _to_json_value(value.append, where, warnings),
        }
    raise _Unserialisable(where, value)


class _Unserialisable(Exception):
    def __init__(self, where, value):
        Exception.__init__(self, where)
        self.where = where
        self.value = value


def _json_attributes(data, warnings):
    out = {}
    for key, value in data.items():
        try:
            out[key] = _to_json_value(value, key, warnings)
        except _Unserialisable as e:
            warnings.append(
                {"message": "attribute '%s' is not plain data (%s at %s); ignored" % (key, type(e.value).__name__, e.where), "line": None}
            )
    return out


class _Isolation(object):
    """Restores interpreter state a package file may change."""

    def __enter__(self):
        self.path = list(sys.path)
        self.modules = set(sys.modules)
        self.pkg_module = sys.modules.get("pkg")
        self.environ = dict(os.environ)
        self.cwd = os.getcwd()
        return self

    def __exit__(self, *exc):
        sys.path[:] = self.path
        prefixes = tuple(p for p in {sys.prefix, sys.base_prefix, getattr(sys, "exec_prefix", sys.prefix)} if p)
        for name in list(sys.modules):
            if name in self.modules:
                continue
            mod = sys.modules.get(name)
            file = getattr(mod, "__file__", None)
            if name == "pkg" or not file or not os.path.abspath(file).startswith(prefixes):
                del sys.modules[name]
        if self.pkg_module is None:
            sys.modules.pop("pkg", None)
        else:
            sys.modules["pkg"] = self.pkg_module
        if dict(os.environ) != self.environ:
            os.environ.clear()
            os.environ.update(self.environ)
        try:
            if os.getcwd() != self.cwd:
                os.chdir(self.cwd)
        except OSError:
            os.chdir(self.cwd)
        return False


def _read_source(path):
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data:
        raise WorkerError("%s contains a NUL byte" % path)
    import io
    import tokenize

    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as e:
        raise WorkerError("%s: cannot decode: %s" % (path, e))
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # inspect.getsource reads through linecache; give it this exact text.
    linecache.cache[path] = (len(text), None, text.splitlines(True), path)
    return text


def _compile(text, path, prefix):
    """Code object plus the line of each top-level name (for warnings about attributes)."""
    try:
        tree = compile(text, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        code = compile(tree, path, "exec", dont_inherit=True)
    except SyntaxError as e:
        raise _error_from_exception(e, path, prefix)
    lines = {}
    for node in tree.body:
        names = []
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = [node.name]
        elif isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Constant):
                    names.append(str(call.args[0].value))
        for name in names:
            lines.setdefault(name, node.lineno)
    return code, lines


# ---------------------------------------------------------------------------------------------
# Rez package.py


# What @early functions see outside a build (Rez's defaults); a build re-evaluates with its own values.
_EARLY_DEFAULTS = {"building": False, "testing": False, "build_variant_index": 0, "build_variant_requires": []}


def _process_rez(data, path, warnings, early_bindings=None):
    bindings = dict(_EARLY_DEFAULTS)
    bindings.update(early_bindings or {})

    def process(value):
        if isinstance(value, dict):
            for k, v in list(value.items()):
                value[k] = process(v)
            return value
        if inspect.isfunction(value):
            fn = value
            if hasattr(fn, "_early"):
                g = dict(fn.__globals__)
                g.update(bindings)
                g["this"] = _EarlyThis(data)
                copy = types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, fn.__closure__)
                nargs = fn.__code__.co_argcount
                if nargs not in (0, 1):
                    raise WorkerError(
                        "@early decorated function '%s' must take zero or one args only" % fn.__name__,
                        fn.__code__.co_firstlineno,
                    )
                try:
                    result = copy(data) if nargs else copy()
                except Exception as e:
                    raise _error_from_exception(e, path, "error in @early function '%s'" % fn.__name__)
                return process(result)
            if hasattr(fn, "_late"):
                return _source_code(fn, path, True)
            if fn.__name__ in REX_KEYS:
                return _source_code(fn, path, False)
            return fn
        return value

    def trim(value):
        if isinstance(value, dict):
            for k, v in list(value.items()):
                if inspect.isfunction(v):
                    if v.__name__ == "preprocess":
                        value[k] = _source_code(v, path, False)
                    else:
                        del value[k]
                elif inspect.ismodule(v) or k.startswith("__") or inspect.isclass(v):
                    del value[k]
                else:
                    value[k] = trim(v)
        return value

    return trim(process(data))


def load_rez(path, text, early_bindings=None):
    code, lines = _compile(text, path, "syntax error")
    scopes = _Scopes()
    g = {
        "scope": scopes,
        "early": early,
        "late": late,
        "include": include,
        "ModifyList": ModifyList,
        "InvalidPackageError": InvalidPackageError,
        "__file__": path,
        "__name__": "__pkg_package__",
    }
    try:
        exec(code, g)
    except Exception as e:
        raise _error_from_exception(e, path, "error loading the package")
    excludes = {"scope", "InvalidPackageError", "__builtins__", "early", "late", "include", "ModifyList"}
    builtin_names = vars(builtins)
    data = {}
    for k, v in g.items():
        if k in excludes or (k in builtin_names and builtin_names[k] is v):
            continue
        data[k] = v
    data.update(scopes.to_dict())
    warnings = []
    data = _process_rez(data, path, warnings, early_bindings)
    return {"format": "rez", "attributes": _json_attributes(data, warnings), "lines": lines, "warnings": warnings}


# ---------------------------------------------------------------------------------------------
# pkg-rs package.py


def _as_package(value):
    if isinstance(value, Package):
        return value
    if isinstance(value, dict):
        return Package.from_dict(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        d = to_dict()
        if isinstance(d, dict):
            return Package.from_dict(d)
    raise WorkerError("get_package() must return Package or dict, got: %s" % type(value).__name__)


def _str_list(values, what):
    out = []
    for v in values:
        if not isinstance(v, str):
            raise WorkerError("%s must be strings, got %s" % (what, type(v).__name__))
        out.append(v)
    return out


# Rez attributes a pkg-rs Package may carry for `pkg build` (pkg-rs's dev branch reads the same ones).
_PKGRS_BUILD_FIELDS = (
    "description", "authors", "tools", "uuid", "help", "tests", "config", "variants", "hashed_variants",
    "build_requires", "private_build_requires", "build_system", "build_command", "requires_rez_version",
    "pre_build_commands", "pre_test_commands", "relocatable", "cachable",
)


def _pkgrs_build_fields(value, package, path):
    """The build fields set on the returned Package (or its dict form), as Rez attributes."""
    source = value if isinstance(value, dict) else getattr(package, "__dict__", {})
    out = {}
    for key in _PKGRS_BUILD_FIELDS:
        if key not in source or source[key] is None:
            continue
        v = source[key]
        if key in ("pre_build_commands", "pre_test_commands"):
            if inspect.isfunction(v):
                v = _source_code(v, path, False)
            elif isinstance(v, (list, tuple)):
                v = "\n".join(str(x) for x in v)
        out[key] = v
    return out


def load_pkgrs(path, text, developer=False):
    import pathlib

    code, _lines = _compile(text, path, "syntax error")
    mod = _make_pkg_module()
    sys.modules["pkg"] = mod
    g = {
        "__builtins__": builtins,
        "__file__": path,
        "__name__": "__pkg_package__",
        "pkg": mod,
        "Path": pathlib.Path,
        "pathlib": pathlib,
        "sys": sys,
        "os": os,
    }
    for cls in (Package, Env, Evar, App, Action):
        g[cls.__name__] = cls
    try:
        exec(code, g)
    except Exception as e:
        raise _error_from_exception(e, path, "error loading the package")
    fn = g.get("get_package")
    if not callable(fn):
        raise WorkerError("function 'get_package' not found in %s" % path)
    try:
        value = fn()
    except Exception as e:
        raise _error_from_exception(e, path, "get_package() error in %s" % path)
    try:
        p = _as_package(value)
    except WorkerError:
        raise
    except Exception as e:
        raise WorkerError("invalid return from %s: %s: %s" % (path, type(e).__name__, e))
    envs = []
    for env in p.envs:
        evars = []
        for e in env.evars:
            evars.append({"name": str(e.name), "value": str(e.value), "action": str(e.action)})
        envs.append({"name": str(env.name), "evars": evars})
    attributes = {"requires": _str_list(p.reqs, "reqs")}
    warnings = []
    if developer:
        attributes.update(_json_attributes(_pkgrs_build_fields(value, p, path), warnings))
    return {
        "format": "pkg-rs",
        "name": str(p.base),
        "version": str(p.version),
        "attributes": attributes,
        "pkgrs": {
            "envs": envs,
            "apps": [a.to_dict() for a in p.apps],
            "tags": _str_list(p.tags, "tags"),
            "icon": None if p.icon is None else str(p.icon),
        },
        "warnings": warnings,
    }


def _early_bindings(raw):
    """`building`, `testing`, `build_variant_index`, `build_variant_requires` from the request (a build)."""
    if not isinstance(raw, dict):
        return None
    out = {}
    for key in ("building", "testing"):
        if key in raw:
            out[key] = bool(raw[key])
    if isinstance(raw.get("build_variant_index"), int):
        out["build_variant_index"] = raw["build_variant_index"]
    if isinstance(raw.get("build_variant_requires"), list):
        out["build_variant_requires"] = [str(r) for r in raw["build_variant_requires"]]
    return out


def op_load_package(request):
    path = request["path"]
    fmt = request.get("format")
    with _Isolation():
        try:
            try:
                text = _read_source(path)
            except OSError as e:
                raise WorkerError("cannot read %s: %s" % (path, e), transient=True)
            if fmt is None:
                fmt = "pkg-rs" if GET_PACKAGE_RE.search(text) else "rez"
            if fmt == "pkg-rs":
                return load_pkgrs(path, text, bool(request.get("developer")))
            return load_rez(path, text, _early_bindings(request.get("early_bindings")))
        finally:
            linecache.cache.pop(path, None)


def op_check_syntax(request):
    """The syntax of functions kept as source text without running the file (the declarative reader's
    commands, @late attributes, preprocess), as Rez's load of the whole file would check it. Request:
    {items: [{file, line, source}]}, `line` being the file's line of the source's first line. Answer:
    {errors: [null | {line, message}]}, one per item, lines being the file's."""
    errors = []
    for item in request.get("items") or []:
        path = str(item.get("file") or "<string>")
        first = item.get("line")
        offset = max(first - 1, 0) if isinstance(first, int) else 0
        try:
            compile(str(item.get("source") or ""), path, "exec", dont_inherit=True)
            errors.append(None)
        except SyntaxError as e:
            line = e.lineno + offset if isinstance(e.lineno, int) else (first if isinstance(first, int) else None)
            errors.append({"line": line, "message": "%s: %s" % (type(e).__name__, e.msg)})
        except ValueError as e:
            # A NUL byte in the text.
            errors.append({"line": first if isinstance(first, int) else None, "message": "%s: %s" % (type(e).__name__, e)})
    return {"errors": errors}


def op_ping(request):
    return {"pong": True}


def _rex_module():
    # rex.py (Rex and @late evaluation) is imported on first use, from beside this file
    if "rex" not in sys.modules:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        try:
            import rex  # noqa: F401
        finally:
            sys.path.pop(0)
    return sys.modules["rex"]


def op_rex(request):
    # Rex commands of a whole context (see rex.py)
    return _rex_module().execute_commands(request)


def op_late(request):
    # @late requirement attributes during a resolve (see rex.py evaluate_late)
    rex = _rex_module()  # before the isolation, which would unload it again
    with _Isolation():
        return rex.evaluate_late(request)


def op_preprocess(request):
    # a package's preprocess function and the configured one, at build time (see rex.py run_preprocess)
    rex = _rex_module()
    with _Isolation():
        return rex.run_preprocess(request)


class _ArgumentError(Exception):
    pass


def _json_arg(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_arg(v) for v in value]
    return str(value)


def op_parse_build_args(request):
    """Rez's parse_build_args.py: the file adds options to `parser` (an argparse group); the build's
    extra words are parsed with them. Result: {values: {dest: value}, unknown: [word], help: str}, or
    {error: str} for words the options refuse."""
    import argparse

    path = request["path"]
    argv = [str(w) for w in request.get("argv") or []]
    parser = argparse.ArgumentParser(prog="pkg build", add_help=False)

    def error(message):
        raise _ArgumentError(message)

    parser.error = error
    group = parser.add_argument_group("custom build system arguments (%s)" % os.path.basename(path))
    with _Isolation():
        try:
            text = _read_source(path)
        except OSError as e:
            raise WorkerError("cannot read %s: %s" % (path, e))
        code, _lines = _compile(text, path, "syntax error")
        try:
            exec(code, {"parser": group, "__file__": path, "__name__": "__pkg_build_args__"})
        except Exception as e:
            raise _error_from_exception(e, path, "error in %s" % path)
        finally:
            linecache.cache.pop(path, None)
    dests = [a.dest for a in parser._actions]
    try:
        namespace, unknown = parser.parse_known_args(argv)
    except _ArgumentError as e:
        return {"error": str(e), "help": parser.format_help()}
    values = dict((d, _json_arg(getattr(namespace, d, None))) for d in dests)
    return {"values": values, "unknown": unknown, "help": parser.format_help()}


OPS = {"load_package": op_load_package, "check_syntax": op_check_syntax, "ping": op_ping, "rex": op_rex, "late": op_late, "parse_build_args": op_parse_build_args, "preprocess": op_preprocess}


def _exit_with_parent():
    """A worker must not outlive pkg, even when package code never returns (an endless loop)."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            # PR_SET_PDEATHSIG: the kernel kills us with the parent, even inside C code holding the GIL.
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)
        except Exception:
            pass
    if os.getppid() != parent:
        os._exit(1)

    import threading
    import time

    def watch():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="pkg-parent-watch", daemon=True).start()


def main():
    # The protocol channel is ours alone: not inherited by processes package code starts.
    requests = os.fdopen(REQUEST_FD, "r", encoding="utf-8", closefd=True)
    out = os.fdopen(ANSWER_FD, "w", encoding="utf-8", closefd=True)
    for fd in (REQUEST_FD, ANSWER_FD):
        os.set_inheritable(fd, False)
    # Package code that prints (or programs it runs) writes to stderr.
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _exit_with_parent()

    def send(obj):
        out.write(json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n")
        out.flush()

    send({"id": 0, "ok": True, "result": {"ready": True, "protocol": PROTOCOL, "python": "%d.%d.%d" % sys.version_info[:3]}})
    for raw in requests:
        raw = raw.strip()
        if not raw:
            continue
        req_id = None
        try:
            request = json.loads(raw)
            req_id = request.get("id")
            handler = OPS.get(request.get("op"))
            if handler is None:
                raise WorkerError("unknown op %r" % request.get("op"))
            result = handler(request)
            send({"id": req_id, "ok": True, "result": result})
        except WorkerError as e:
            error = {"message": e.message, "line": e.line, "traceback": e.tb}
            if e.transient:
                error["transient"] = True
            send({"id": req_id, "ok": False, "error": error})
        except BaseException as e:  # noqa: B036 - a package may raise SystemExit; the worker must survive it
            if isinstance(e, KeyboardInterrupt):
                raise
            send(
                {
                    "id": req_id,
                    "ok": False,
                    "error": {"message": "%s: %s" % (type(e).__name__, e), "line": None, "traceback": traceback.format_exc()},
                }
            )


if __name__ == "__main__":
    main()
