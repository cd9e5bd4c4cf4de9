name = "maya"
version = "2024.2"
description = "Autodesk Maya 2024.2"
authors = ["Autodesk"]
requires = ["python-3.11", "ocio-2"]
tools = ["maya", "mayapy"]

def commands():
    env.MAYA_VERSION = "{version}"
    env.MAYA_LOCATION = "{root}"
    env.PATH.prepend("{root}/bin")
