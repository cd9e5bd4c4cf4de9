name = "hai_make"
version = "1.0.0"
description = "A Makefile build: make -j<threads>, then make install with PREFIX."
tools = ["hai"]


def commands():
    env.PATH.append("{root}/bin")
