name = "maya"
version = "2023.3"
description = "Autodesk Maya 2023.3"
authors = ["Autodesk"]
requires = ["python-3.10", "ocio-2"]
tools = ["maya", "mayapy"]

def commands():
    env.MAYA_VERSION = "{version}"
    env.MAYA_LOCATION = "{root}"
    env.PATH.prepend("{root}/bin")
