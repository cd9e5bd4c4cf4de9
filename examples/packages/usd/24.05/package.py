import pkg

def get_package():
    p = pkg.Package("usd", "24.05")
    p.reqs.append("python@>=3.10")
    p.add_tag("library")
    return p
