# A pkg-rs style package that pkg builds and installs: the build fields are set on the Package, and
# the installed copy of this file finds its payload beside itself (Path(__file__).parent).
from pathlib import Path

from pkg import App, Env, Evar, Package


def get_package():
    p = Package("hello_pkgrs", "1.0.0")
    p.description = "A pkg-rs style package built with a custom build_command."
    p.build_command = "bash {root}/build.sh {install}"
    here = Path(__file__).parent
    env = Env("default")
    env.add(Evar("HELLO_PKGRS_ROOT", str(here), "set"))
    env.add(Evar("PATH", "{HELLO_PKGRS_ROOT}/bin", "insert"))
    p.add_env(env)
    p.add_app(App("hello_pkgrs").with_path(str(here / "bin" / "hello_pkgrs")))
    return p
