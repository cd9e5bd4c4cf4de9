// Golden text: the [RUN] examples of Rez (reference rez-core.md §5.4), rendered on Linux (pathsep ":").
import { describe, expect, it } from "vitest";
import type { RexAction } from "../rex/index.js";
import { getShell, shellNames } from "./index.js";

const example: RexAction[] = [
  { type: "shebang" },
  { type: "setenv", key: "FOO", value: "bar" },
  { type: "setenv", key: "PATH", value: "/pkgs/foo/1.0/bin" },
  { type: "prependenv", key: "PATH", value: "/opt/x" },
  { type: "setenv", key: "PYTHONPATH", value: "/pkgs/foo/1.0/python" },
  { type: "appendenv", key: "PYTHONPATH", value: "${HOME}/py" },
  { type: "setenv", key: "LIT", value: [{ literal: true, text: 'oh "noes" $X' }] },
  { type: "setenv", key: "MIX", value: [{ literal: true, text: "hello" }, { literal: false, text: " ${DUDE}" }] },
  { type: "setenv", key: "A_B", value: "${FOO}:${FOO}" },
  { type: "unsetenv", key: "GONE" },
  { type: "alias", name: "foo", command: "foo -l" },
  { type: "info", message: "hello foo" },
  { type: "error", message: "bad" },
  { type: "command", command: "echo hi" },
  { type: "source", path: "/tmp/s.sh" },
  { type: "comment", text: "a comment" },
];
const options = { parentEnviron: { HOME: "/home/u", PATH: "/usr/bin" }, pathSeparator: ":", executable: "/bin/bash" };

describe("golden: Rez [RUN] example", () => {
  it("bash (info/error use printf instead of echo)", () => {
    expect(getShell("bash").render(example, options)).toBe(
      [
        "#!/bin/bash",
        'export FOO="bar"',
        'export PATH="/pkgs/foo/1.0/bin"',
        'export PATH="/opt/x:${PATH}"',
        'export PYTHONPATH="/pkgs/foo/1.0/python"',
        'export PYTHONPATH="${PYTHONPATH}:${HOME}/py"',
        `export LIT='oh "noes" $X'`,
        `export MIX='hello'" \${DUDE}"`,
        'export A_B="${FOO}:${FOO}"',
        "unset GONE",
        'function foo() { foo -l "$@"; };export -f foo;',
        `printf '%s\\n' "hello foo"`,
        `printf '%s\\n' "bad" 1>&2`,
        "echo hi",
        '. "/tmp/s.sh"',
        "# a comment",
        "",
      ].join("\n"),
    );
  });

  it("tcsh (selected lines)", () => {
    const lines = getShell("tcsh").render(example, options).split("\n");
    for (const l of [
      'setenv FOO "bar"',
      'setenv PATH "/opt/x:${PATH}"',
      `setenv LIT 'oh "noes" $X'`,
      "unsetenv GONE",
      "alias foo 'foo -l';",
      'source "/tmp/s.sh"',
    ]) {
      expect(lines).toContain(l);
    }
  });

  it("cmd", () => {
    expect(getShell("cmd").render(example, options)).toBe(
      [
        "set FOO=bar",
        "set PATH=\\pkgs\\foo\\1.0\\bin",
        "set PATH=\\opt\\x:\\pkgs\\foo\\1.0\\bin",
        "set PYTHONPATH=\\pkgs\\foo\\1.0\\python",
        "set PYTHONPATH=\\pkgs\\foo\\1.0\\python:\\home\\u\\py",
        'set LIT=oh "noes" $X',
        "set MIX=hello ${DUDE}",
        "set A_B=bar:bar",
        "set GONE=",
        "doskey foo=foo -l $*",
        "echo hello foo",
        'echo "bad" 1>&2',
        "echo hi",
        "call /tmp/s.sh",
        "REM a comment",
        "",
      ].join("\n"),
    );
  });

  for (const name of ["pwsh", "powershell"]) {
    it(name, () => {
      expect(getShell(name).render(example, options)).toBe(
        [
          'Set-Item -Path "Env:FOO" -Value "bar"',
          'Set-Item -Path "Env:PATH" -Value "/pkgs/foo/1.0/bin"',
          'Set-Item -Path "Env:PATH" -Value ("/opt/x:" + (Get-ChildItem -ErrorAction SilentlyContinue "Env:PATH").Value)',
          'Set-Item -Path "Env:PYTHONPATH" -Value "/pkgs/foo/1.0/python"',
          'Set-Item -Path "Env:PYTHONPATH" -Value ((Get-ChildItem -ErrorAction SilentlyContinue "Env:PYTHONPATH").Value + ":/home/u/py")',
          'Set-Item -Path "Env:LIT" -Value "oh `"noes`" `$X"',
          'Set-Item -Path "Env:MIX" -Value "hello ${DUDE}"',
          'Set-Item -Path "Env:A_B" -Value "bar:bar"',
          'Remove-Item -ErrorAction SilentlyContinue "Env:GONE"',
          "function foo() { foo -l @args }",
          "Write-Host hello foo",
          'Write-Error "bad"',
          "echo hi",
          '. "/tmp/s.sh"',
          "# a comment",
          "",
        ].join("\n"),
      );
    });
  }

  it("escape examples", () => {
    const c: RexAction[] = [{ type: "setenv", key: "C", value: 'hello "world"' }];
    expect(getShell("sh").render(c)).toBe('export C="hello \\"world\\""\n');
    expect(getShell("cmd").render(c)).toBe('set C=hello "world"\n');
    expect(getShell("pwsh").render(c)).toBe('Set-Item -Path "Env:C" -Value "hello `"world`""\n');
    const g: RexAction[] = [{ type: "setenv", key: "G", value: "hey & world > x ^ y ! z %P%" }];
    expect(getShell("cmd").render(g)).toBe("set G=hey ^& world ^> x ^^ y ! z %P%\n");
    expect(getShell("cmd").render([{ type: "setenv", key: "G", value: [{ literal: true, text: "%P% a|b" }] }])).toBe(
      "set G=%%P%% a^|b\n",
    );
    const info: RexAction[] = [{ type: "info", message: '"${FOO}" $GREET' }];
    expect(getShell("cmd").render(info)).toBe('echo "%FOO%" %GREET%\n');
    expect(getShell("pwsh").render(info)).toBe("Write-Host `\"${Env:FOO}`\" ${Env:GREET}\n");
    expect(getShell("cmd").render([{ type: "info", message: "" }])).toBe("echo.\n");
  });

  it("eval style", () => {
    const a: RexAction[] = [
      { type: "comment", text: "x" },
      { type: "setenv", key: "A", value: "1" },
      { type: "alias", name: "f", command: "g" },
    ];
    expect(getShell("bash").render(a, { style: "eval" })).toBe('export A="1";function f() { g "$@"; };export -f f');
    expect(getShell("cmd").render(a, { style: "eval" })).toBe("set A=1&& doskey f=g $*");
    expect(getShell("pwsh").render(a, { style: "eval" })).toBe('Set-Item -Path "Env:A" -Value "1"&& function f() { g @args }');
  });

  it("cmd and pwsh expand inherited variables at render time; Windows paths for pwsh on win32", () => {
    const a: RexAction[] = [
      { type: "saferefenv", key: "PATH" },
      { type: "appendenv", key: "PATH", value: "C:/pkg/bin" },
      { type: "setenv", key: "X", value: "$PATH" },
    ];
    expect(getShell("cmd").render(a, { parentEnviron: { PATH: "C:\\Windows" } })).toBe(
      "set PATH=C:\\Windows;C:\\pkg\\bin\nset X=C:\\Windows;C:/pkg/bin\n",
    );
    expect(getShell("pwsh").render(a, { parentEnviron: { PATH: "C:\\Windows" }, platform: "win32" })).toBe(
      'Set-Item -Path "Env:PATH" -Value ((Get-ChildItem -ErrorAction SilentlyContinue "Env:PATH").Value + ";C:\\pkg\\bin")\n' +
        // X is not path-like: its value is not normalised (the tracked value never is, as in Rez).
        'Set-Item -Path "Env:X" -Value "C:\\Windows;C:/pkg/bin"\n',
    );
  });

  it("join quoting for `-- cmd args`: every argument literal", () => {
    expect(getShell("cmd").join(["echo", "a b", 'q"x', "c:\\dir\\", "d i\\"])).toBe('echo "a b" q\\"x c:\\dir\\ "d i\\\\"');
    // cmd: `%` doubled, `&|<>` quoted, and escaped with ^ where an embedded `"` ends cmd's quoting.
    expect(getShell("cmd").join(["echo", "%PATH%", "a&b", 'x" & calc & "'])).toBe('echo "%%PATH%%" "a&b" "x\\" ^& calc ^& \\""');
    expect(() => getShell("cmd").join(["echo", "a\nb"])).toThrow(/line break/);
    // A value with a line break would end the batch line and run the rest as a command.
    expect(() => getShell("cmd").render([{ type: "setenv", key: "X", value: [{ literal: true, text: "a\r\ncalc" }] }])).toThrow(/line break/);
    expect(getShell("cmd").valueProblem("X", "a\nb")).toMatch(/line break/);
    expect(getShell("csh").valueProblem("X", "x".repeat(8188))).toMatch(/8188 bytes/);
    expect(getShell("tcsh").valueProblem("X", "x".repeat(100_000))).toBeUndefined();
    expect(getShell("pwsh").join(["my prog", 'say "hi"', "`x", "$env:HOME", "it's"])).toBe(`& 'my prog' 'say "hi"' '\`x' '$env:HOME' 'it''s'`);
    expect(getShell("bash").join(["echo", "$HOME", "a b", "it's", ""])).toBe(`echo '$HOME' 'a b' 'it'"'"'s' ''`);
    expect(getShell("tcsh").join(["echo", "$HOME", "!x"])).toBe(`echo '$HOME' '\\!x'`);
    expect(getShell("fish").join(["echo", "$HOME", "50%"])).toBe(`echo '$HOME' '50%'`);
  });

  it("registry", () => {
    expect([...shellNames].sort()).toEqual(["bash", "cmd", "csh", "fish", "powershell", "pwsh", "sh", "tcsh", "zsh"]);
    expect(() => getShell("nope")).toThrow(/Known shells: bash/);
  });
});
