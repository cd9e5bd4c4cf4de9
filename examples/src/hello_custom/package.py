name = "hello_custom"
version = "1.0.0"
description = "A custom build: build_command runs a script with Rez's placeholders."
authors = ["pkg examples"]
tools = ["hello"]

build_command = "bash {root}/build.sh {install}"


def commands():
    env.PATH.append("{root}/bin")
