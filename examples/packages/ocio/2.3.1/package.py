# A pkg-rs style package: get_package() returns a Package with environments and apps.
from pkg import Package, Env, Evar, App

def get_package():
    p = Package("ocio", "2.3.1")
    env = Env("default")
    env.add(Evar("OCIO", "/studio/config/aces_1.2/config.ocio", "set"))
    p.add_env(env)
    p.add_tag("color")
    return p
