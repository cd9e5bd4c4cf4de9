name = "greeter_cmake"
version = "2.1.0"
description = "A CMake build using Rez's RezBuild module and macros, with two variants."
tools = ["greeter"]
variants = [["python-3.10"], ["python-3.11"]]


def commands():
    env.PATH.append("{root}/bin")
