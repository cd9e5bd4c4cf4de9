// The conversion tables of rez-build-pip-release §5.6 and the cases of Rez's test_pip_utils (§7.3).
import { describe, expect, it } from "vitest";
import { distributionRequirements, markerEnvironment, markerSysRequirements, pipRequirementToRez, pipSpecifierToRezRange, pipToRezName, pipToRezVersion } from "./convert.js";
import { canonicalName, evaluateMarker, formatMarker, formatPipRequirement, markerVariables, parseMarker, parsePipRequirement, splitConditionalExtras } from "./pep508.js";
import { comparePep440, parsePep440 } from "./pep440.js";

const spec = (text: string) => pipSpecifierToRezRange(parsePipRequirement(`x ${text}`).specifiers).toString();

describe("pipToRezName", () => {
  it.each([
    ["asd", "asd"],
    ["package-name", "package_name"],
    ["Foo-Bar-baz", "Foo_Bar_baz"],
    ["Foo.Bar", "Foo.Bar"],
    ["Dep-C", "Dep_C"],
  ])("%s → %s", (pip, rez) => expect(pipToRezName(pip)).toBe(rez));
});

describe("pipToRezVersion", () => {
  it.each([
    ["1.0.0", "1.0.0"],
    ["0.9", "0.9"],
    ["1.0a1", "1.0.a1"],
    ["1.0.post1", "1.0.post1"],
    ["1.0.dev1", "1.0.dev1"],
    ["1.0+abc.7", "1.0-abc.7"],
    ["1!2.3.4", "2.3.4"],
    ["2.0b1pl0", "2.0b1pl0"],
    ["1.0alpha1", "1.0.a1"],
    ["1.0A1", "1.0.a1"],
    ["1.0beta2", "1.0.b2"],
    ["1.0c1", "1.0.rc1"],
    ["1.0pre1", "1.0.rc1"],
    ["1.0preview1", "1.0.rc1"],
    ["1.0RC1", "1.0.rc1"],
    ["1.0-1", "1.0.post1"],
    ["1.0.rev2", "1.0.post2"],
    ["1.0r3", "1.0.post3"],
    ["1.0a1.dev2", "1.0.a1.dev2"],
    ["1.0+ubuntu-1", "1.0-ubuntu.1"],
    ["v1.0", "1.0"],
    ["0.1.0-beta", "0.1.0.b0"],
    ["1.2.3rc1", "1.2.3.rc1"],
  ])("%s → %s", (pip, rez) => expect(pipToRezVersion(pip).version).toBe(rez));

  it("keeps a legacy version whole, lower-cased, or refuses it", () => {
    expect(pipToRezVersion("2.0B1pl0")).toEqual({ version: "2.0b1pl0", legacy: true });
    expect(() => pipToRezVersion("2.0b1pl0", { allowLegacy: false })).toThrow(/not a PEP 440/);
  });
});

describe("pipSpecifierToRezRange", () => {
  it.each([
    ["==1", "1+<1.1"],
    [">1", "1.1+"],
    ["<1", "<1"],
    [">=1", "1+"],
    ["<=1", "<1.1"],
    ["~=1.2", "1.2+<2"],
    ["~=1.2.3", "1.2.3+<1.3"],
    ["!=1", "<1|1.1+"],
    ["!=1.2", "<1.2|1.2.1+"],
    ["!=1.*", "<1|2+"],
    ["!=1.2.*", "<1.2|1.3+"],
    [">=1.2.a1", "1.2.a1+"],
    ["==1.*", "1"],
    [">=2.6, !=3.0.*, !=3.1.*, !=3.2.*, <4", "2.6+<3.0|3.3+<4"],
    ["==1.0", "1.0+<1.0.1"],
    ["==1.2.3", "1.2.3+<1.2.3.1"],
    ["==1.2.*", "1.2"],
    [">1.2", "1.2.1+"],
    ["<=1.2", "<1.2.1"],
    ["~=2.0.0", "2.0.0+<2.1"],
    [">1.0rc1", "1.0.0+"],
    ["<=1.0rc1", "<1.0.0"],
    ["==1.0rc1", "1.0.rc1+<1.0.0"],
    ["~=1.0rc1", "1.0.rc1+<1.1"],
    ["==1.0.dev3", "1.0.dev3+<1.0.0"],
    [">=1!2.0", "2.0+"],
    [">=1.0,<2", "1.0+<2"],
  ])("%s → %s", (pip, rez) => expect(spec(pip)).toBe(rez));

  it.each([
    ["<2,>3", /non-intersecting/],
    ["===1.0", /no Rez equivalent/],
    ["==1.0+abc", /1\.0-abc\+<1\.0/],
  ])("%s is refused", (pip, message) => expect(() => spec(pip)).toThrow(message));
});

describe("pipRequirementToRez (packaging_req_to_rez_req)", () => {
  it.each([
    ["package>1", "package-1.1+"],
    ["package", "package"],
    ["package[extra]", "package"],
    ["Foo-Bar>=1.0,<2", "Foo_Bar-1.0+<2"],
    ["foo (==2.*)", "foo-2"],
    ['foo (>=1) ; python_version < "3"', "foo-1+"],
    ["foo<2", "foo<2"],
    ["foo!=1", "foo<1|1.1+"],
    ["foo<=1.0", "foo<1.0.1"],
  ])("%s → %s", (pip, rez) => expect(pipRequirementToRez(parsePipRequirement(pip))).toBe(rez));
});

describe("markerSysRequirements (get_marker_sys_requirements)", () => {
  it.each([
    ['implementation_name == "cpython"', ["python"]],
    ['implementation_version == "3.4.0"', ["python"]],
    ['platform_python_implementation == "Jython"', ["python"]],
    ['platform.python_implementation == "Jython"', ["python"]],
    ['python_implementation == "Jython"', ["python"]],
    ['sys_platform == "linux2"', ["platform"]],
    ['sys.platform == "linux2"', ["platform"]],
    ['os_name == "linux2"', ["platform"]],
    ['os.name == "linux2"', ["platform"]],
    ['platform_machine == "x86_64"', ["arch"]],
    ['platform.machine == "x86_64"', ["arch"]],
    ['platform_version == "#1 SMP Fri Apr 25 13:07:35 EDT 2014"', ["platform"]],
    ['platform.version == "#1 SMP Fri Apr 25 13:07:35 EDT 2014"', ["platform"]],
    ['platform_system == "Linux"', ["platform"]],
    ['platform_release == "5.2.8-arch1-1-ARCH"', ["platform"]],
    ['python_version == "3.7"', ["python"]],
    ['python_full_version == "3.7.1"', ["python"]],
    ['(sys_platform == "win32") and platform_machine == "x86_64"', ["platform", "arch"]],
  ])("%s → %j", (marker, expected) => expect([...markerSysRequirements(markerVariables(parseMarker(marker)))]).toEqual(expected));
});

describe("splitConditionalExtras (normalize_requirement)", () => {
  it.each([
    ["packageA", "packageA", undefined],
    ["mypkg ; extra == 'dev'", "mypkg", ["dev"]],
    [`win-inet-pton ; (sys_platform == "win32" and python_version == "2.7") and extra == 'socks'`, `win-inet-pton; (sys_platform == "win32" and python_version == "2.7")`, ["socks"]],
    ["PySocks (!=1.5.7,<2.0,>=1.5.6) ; extra == 'socks'", "PySocks!=1.5.7,<2.0,>=1.5.6", ["socks"]],
    ["certifi ; extra == 'secure'", "certifi", ["secure"]],
    ["coverage (>=4.4)", "coverage>=4.4", undefined],
    ['colorama ; sys_platform == "win32"', 'colorama; sys_platform == "win32"', undefined],
    ["mypkg ; extra == 'dev' or extra == 'doc'", "mypkg", ["dev", "doc"]],
    [`mypkg ; extra == "dev" and sys_platform == "win32"`, 'mypkg; sys_platform == "win32"', ["dev"]],
    [`mypkg ; sys_platform == "win32" and extra == "test"`, 'mypkg; sys_platform == "win32"', ["test"]],
  ])("%s", (input, result, extras) => {
    const split = splitConditionalExtras(parsePipRequirement(input));
    expect(formatPipRequirement(split.requirement)).toBe(result);
    expect(split.extras ? [...split.extras] : undefined).toEqual(extras);
  });
});

describe("markers", () => {
  const env = markerEnvironment("3.11.7", { platform: "linux", machine: "x86_64", release: "6.1", version: "#1" });
  it.each([
    ['python_version < "3.0"', false],
    ['python_version >= "3.8"', true],
    ['python_version == "3.11"', true],
    ['python_full_version == "3.11.*"', true],
    ['python_version ~= "3.9"', true],
    ['sys_platform == "linux"', true],
    ['sys_platform == "win32"', false],
    ['os_name == "nt" or platform_machine == "x86_64"', true],
    ['"linux" in sys_platform', true],
    ['platform_system not in "Windows Darwin"', true],
    ['(sys_platform == "win32" and python_version == "2.7") or implementation_name == "cpython"', true],
    ["extra == 'test'", false],
  ])("%s is %s for 3.11 on linux x86_64", (marker, expected) => expect(evaluateMarker(parseMarker(marker), env)).toBe(expected));

  it("evaluates for the target python, not the host's", () => {
    expect(evaluateMarker(parseMarker('python_version < "3.8"'), markerEnvironment("3.7", { platform: "linux", machine: "x86_64", release: "", version: "" }))).toBe(true);
  });

  it("compares extras by their normalised names", () => {
    expect(evaluateMarker(parseMarker("extra == 'Socks_Proxy'"), { ...env, extra: canonicalName("socks-proxy") })).toBe(true);
  });

  it("writes markers as packaging does", () => {
    expect(formatMarker(parseMarker("os.name=='nt'and(python_version<'3')"))).toBe('os_name == "nt" and (python_version < "3")');
  });

  it.each(["python_version <", "foo == '1'", "(python_version == '3'", "python_version ?? '3'"])("refuses '%s'", (marker) => {
    expect(() => parseMarker(marker)).toThrow();
  });
});

describe("pep440 order", () => {
  it("orders as packaging does", () => {
    const order = ["1.0.dev0", "1.0a1.dev1", "1.0a1", "1.0b1", "1.0rc1", "1.0", "1.0+local", "1.0.post1.dev1", "1.0.post1", "1.1"];
    const parsed = order.map((v) => parsePep440(v)!);
    for (let i = 1; i < parsed.length; i++) expect(comparePep440(parsed[i - 1]!, parsed[i]!), `${order[i - 1]} < ${order[i]}`).toBeLessThan(0);
    expect(comparePep440(parsePep440("1.0")!, parsePep440("1.0.0")!)).toBe(0);
  });
});

describe("distributionRequirements (get_rez_requirements)", () => {
  const base = {
    pythonVersion: "3.11.7",
    target: { platform: "linux", arch: "x86_64" },
    environment: markerEnvironment("3.11.7", { platform: "linux", machine: "x86_64", release: "", version: "" }),
    familyName: (n: string) => (n.toLowerCase() === "dep-c" ? "Dep_C" : n.replace(/-/g, "_")),
    source: "my_pkg-1.2.3rc1.dist-info/METADATA",
  };
  const requiresDist = ["dep-a (>=1.0,!=1.5.*)", 'dep-b ; python_version<"3.0"', 'Dep-C ; sys_platform=="linux"', "dep-d ; extra=='test'"];

  it("gives rez-pip's observed requires and variant", () => {
    const r = distributionRequirements({ ...base, requiresDist, extras: [], isPurePython: true, hasEntryPoints: true });
    expect(r.requires).toEqual(["dep_a-1.0+<1.5|1.6+"]);
    expect(r.variant).toEqual(["platform-linux", "arch-x86_64", "python-3.11", "Dep_C"]);
  });

  it("a pure package without scripts has only the python variant", () => {
    expect(distributionRequirements({ ...base, requiresDist: ["dep-a"], extras: [], isPurePython: true, hasEntryPoints: false }).variant).toEqual(["python-3.11"]);
  });

  it("keeps the requirements of the extras asked for", () => {
    const r = distributionRequirements({ ...base, requiresDist, extras: ["Test"], isPurePython: true, hasEntryPoints: false });
    expect(r.requires).toEqual(["dep_a-1.0+<1.5|1.6+", "dep_d"]);
  });

  it("names the metadata of a requirement it cannot convert", () => {
    expect(() => distributionRequirements({ ...base, requiresDist: ["bad ===1.0"], extras: [], isPurePython: true, hasEntryPoints: false })).toThrow(/my_pkg-1\.2\.3rc1\.dist-info\/METADATA: Requires-Dist 'bad ===1.0'/);
  });
});
