"""Evaluates one Rez configuration file (rezconfig.py) and prints its settings as JSON.

Used by pkg only for files its own reader cannot read (imports, ModifyList, expressions). The file runs
with the names Rez gives it; ModifyList values are printed as {"__pkg_modify_list__": {...}} so pkg can
apply them to the value below, as Rez's deep_update does. Settings that are not plain data (functions,
modules, classes) are left out: pkg has no use for them.
"""
import json
import os
import sys
import traceback


class ModifyList(object):
    def __init__(self, append=None, prepend=None):
        for value in (prepend, append):
            if value is not None and not isinstance(value, list):
                raise ValueError("Expected list in ModifyList, not %r" % (value,))
        self.prepend = prepend
        self.append = append


class DelayLoad(object):
    def __init__(self, filepath):
        self.filepath = os.path.expanduser(filepath)

    def get_value(self):
        with open(self.filepath) as f:
            text = f.read()
        if self.filepath.endswith(".json"):
            return json.loads(text)
        if self.filepath.endswith((".yaml", ".yml")):
            import yaml

            return yaml.safe_load(text)
        raise ValueError("Error in DelayLoad - unsupported file format %s" % self.filepath)


def plain(value):
    if isinstance(value, ModifyList):
        return {"__pkg_modify_list__": {"prepend": plain(value.prepend), "append": plain(value.append)}}
    if isinstance(value, DelayLoad):
        return plain(value.get_value())
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return dict((str(k), plain(v)) for k, v in value.items())
    raise TypeError("not plain data")


def main():
    path = sys.argv[1]
    reserved = dict(
        __name__=os.path.splitext(os.path.basename(path))[0],
        __file__=path,
        rez_version="3.4.0",
        ModifyList=ModifyList,
        DelayLoad=DelayLoad,
    )
    scope = dict(reserved)
    try:
        with open(path) as f:
            code = compile(f.read(), path, "exec")
        exec(code, scope)
    except Exception as error:
        line = getattr(error, "lineno", None)
        if not isinstance(error, SyntaxError):
            frames = [f for f in traceback.extract_tb(sys.exc_info()[2]) if f.filename == path]
            line = frames[-1].lineno if frames else None
        json.dump({"error": "%s: %s" % (type(error).__name__, error), "line": line}, sys.stdout)
        return
    settings = {}
    for key, value in scope.items():
        if key == "__builtins__" or key in reserved or type(value).__name__ == "module":
            continue
        try:
            settings[key] = plain(value)
        except Exception:
            pass
    json.dump({"settings": settings}, sys.stdout)


main()
