name = "python"
version = "3.10.13"
description = "The Python interpreter (system install)."
tools = ["python3"]

def commands():
    env.PYTHON_VERSION = "{version}"
