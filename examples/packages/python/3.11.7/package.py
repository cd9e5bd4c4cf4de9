name = "python"
version = "3.11.7"
description = "The Python interpreter (system install)."
tools = ["python3"]

def commands():
    env.PYTHON_VERSION = "{version}"
