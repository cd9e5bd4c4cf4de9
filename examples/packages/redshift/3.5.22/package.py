name = "redshift"
version = "3.5.22"
description = "Redshift renderer, built per Maya version."
requires = ["studio_tools-1.4+"]
variants = [["maya-2024"], ["maya-2023"]]

def commands():
    env.REDSHIFT_ROOT = "{root}"
    env.MAYA_MODULE_PATH.append("{root}/modules")
