name = "redshift"
version = "3.5.19"
description = "Redshift renderer (older build, Maya 2023 only)."
variants = [["maya-2023"]]

def commands():
    env.REDSHIFT_ROOT = "{root}"
    env.MAYA_MODULE_PATH.append("{root}/modules")
