import pkg

def get_package():
    p = pkg.Package("usd", "23.11")
    p.reqs.append("python@>=3.10")
    p.add_tag("library")
    return p
