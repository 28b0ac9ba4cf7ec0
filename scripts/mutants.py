#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generates the mutants `make mutants` runs: deliberately broken variants of the driver.

Generated operators, over the request path's sources (patterns, not a parser: `let ... else`
refusals, match arms that return an error and `let x = EXPR?;` are not generated):

  guard-off   an `if COND {` whose block returns or yields an error: COND becomes `false`
              (the check removed)
  guard-not   the same `if`: COND inverted
  arm-not     a match guard `PAT if COND =>`: COND inverted
  arm-off     the same guard: COND becomes `true` (the arm's condition removed)
  bound       a comparison loosened or tightened by one: `<` <-> `<=`, `>` <-> `>=`
  conj-drop   one `&& COND` of a conjunction chain: COND becomes `true`
  try-drop    a statement `EXPR?;`: its error ignored (`let _ = EXPR;`)

and the hand-made ones a generator cannot make (MANUAL below). Prints one JSON object per
line: id, file, line (1-based), op, old and new text of that line, and a description.
"""
import json
import re
import sys

FILES = ["msg.rs", "engine.rs", "secrets.rs", "ghcb.rs", "crypto.rs", "sevguest.rs"]

# Hand-made: (file, exact old text, new text, what it breaks).
MANUAL = [
    ("engine.rs", "        self.secrets.wipe_key();\n", "",
     "the wipe skipped: the key stays in the secrets page after a failure"),
    ("engine.rs", "        if self.cipher.take().is_some() {", "        if self.cipher.is_some() {",
     "the wipe skipped in the engine: the cipher stays usable after a failure"),
    ("engine.rs",
     "        self.secrets.set_counter((seqno + 1) as u32)?;\n",
     "",
     "the counter not stored before exposure (a kexec while the host holds the request "
     "reuses its IV)"),
    ("engine.rs",
     "        let outcome = exposed.issue(exit);\n",
     "        let outcome = exposed.issue(exit);\n"
     "        let _ = exposed.engine.secrets.set_counter((seqno + 1) as u32);\n",
     "the counter advanced late: stored after the VMGEXIT returns (with the early store "
     "removed by the next mutant's twin)"),
    ("engine.rs",
     "        let opened = hdr.is_response_for(&expected)\n",
     "        let opened = hdr.is_response_for(&expected)\n"
     "            && e.shared_resp.read_into(0, e.resp.as_bytes_mut()).is_ok()\n",
     "the private copy replaced by reading the shared page again after the header check "
     "(a double fetch: the host can swap the answer in between)"),
    ("secrets.rs", "        zeroize(&mut self.0[..]);\n", "",
     "a key copy left unzeroed when it is dropped"),
    ("engine.rs", "        e.resp.as_bytes_mut().fill(0);\n", "",
     "the opened plaintext (a derived key) left in the private response buffer"),
    ("engine.rs",
     "            if e.shared_req.write_from(0, e.req.as_bytes()).is_err() {",
     "            if e.resends == 0 && e.shared_req.write_from(0, e.req.as_bytes()).is_err() {",
     "a resend trusts the shared request page the host may have rewritten"),
    ("engine.rs", "        self.shared_resp.fill_zero();\n", "",
     "a stale answer left in the shared response page before the request"),
    ("engine.rs", "            delay = delay.saturating_mul(2).min(e.retry.max_delay_ms);\n",
     "", "no backoff: resends at the first delay for the whole window"),
    ("engine.rs", "        let seqno = u64::from(self.secrets.even_counter()?) + 1;",
     "        let seqno = u64::from(self.secrets.counter()?) + 1;",
     "the per-request parity check skipped: an odd stored counter puts the request on the IV "
     "of an earlier answer"),
    ("engine.rs", "                .is_some_and(|c| c.open(&mut e.resp, len).is_ok());",
     "                .is_some_and(|c| {\n                    let _ = c.open(&mut e.resp, len);\n"
     "                    true\n                });",
     "the tag check's verdict ignored: a forged answer is decrypted and returned"),
    ("crypto.rs", "        to_result(ret)\n    }\n}", "        let _ = ret;\n        Ok(())\n    }\n}",
     "the AEAD's result ignored in the cipher (encryption and tag check)"),
    ("engine.rs", "            self.shared_certs.fill_zero();\n", "",
     "the certificate pages not cleared before an extended request: an earlier request's "
     "certificates can pass for this one's"),
    ("engine.rs", "                        exposed.verify(expected, resp, &mut [])?;\n",
     "                        exposed.complete();\n",
     "the answer to the certificate re-issue taken on the host's word (C's behaviour)"),
    ("engine.rs", "pub(crate) const CERTS_MAX_PAGES: u32 = 4;",
     "pub(crate) const CERTS_MAX_PAGES: u32 = 5;",
     "the certificate page bound loosened by one"),
    ("msg.rs", "pub(crate) const MSG_RSP_MIN_SIZE: usize = 4;",
     "pub(crate) const MSG_RSP_MIN_SIZE: usize = 3;",
     "the shortest answer taken loosened by one (an answer without a whole status word)"),
    ("msg.rs", "pub(crate) const MSG_RSP_MIN_SIZE: usize = 4;",
     "pub(crate) const MSG_RSP_MIN_SIZE: usize = 5;",
     "the shortest answer taken tightened by one (the status word alone refused)"),
]

# The late-counter mutant is meaningful only with the early store removed too: merge the two
# into one mutant of two edits.
LATE = (2, 3)


def code(line):
    s = line.strip()
    return s and not s.startswith("//") and not s.startswith("#[")


def block_has_error(lines, i):
    """Whether the block opened at the end of lines[i] returns or evaluates to an error."""
    depth = 0
    for j in range(i, min(len(lines), i + 40)):
        depth += lines[j].count("{") - lines[j].count("}")
        if j > i and re.search(r"\bErr\(|return Err|\.into\(\)\)|=> return", lines[j]):
            return True
        if depth <= 0 and j > i:
            return False
    return False


def test_only(lines):
    """Line numbers inside items compiled for KUnit only (their bodies are test helpers)."""
    skip = set()
    i = 0
    while i < len(lines):
        if "cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)" in lines[i]:
            # The item that follows, to its closing brace at the same indentation.
            j = i + 1
            while j < len(lines) and "{" not in lines[j] and ";" not in lines[j]:
                j += 1
            if j < len(lines) and "{" in lines[j]:
                depth = 0
                k = j
                while k < len(lines):
                    depth += lines[k].count("{") - lines[k].count("}")
                    if depth == 0:
                        break
                    k += 1
                skip.update(range(i, k + 1))
                i = k
        i += 1
    return skip


def generate(root):
    out = []

    def add(f, n, op, old, new, desc):
        out.append({"file": f, "line": n + 1, "op": op, "old": old, "new": new, "desc": desc})

    for f in FILES:
        lines = open(f"{root}/{f}").read().split("\n")
        skip = test_only(lines)
        in_const_assert = False
        for n, line in enumerate(lines):
            if n in skip or not code(line):
                continue
            s = line.strip()
            if s.startswith("const _: () = {"):
                in_const_assert = True
            if in_const_assert:
                if s == "};":
                    in_const_assert = False
                continue
            m = re.match(r"^(\s*)(?:\} else )?if (.+) \{$", line)
            if m and not s.startswith("if let") and " let " not in s and \
                    block_has_error(lines, n):
                cond = m.group(2)
                add(f, n, "guard-off", line, line.replace(f"if {cond} {{", "if false {", 1),
                    f"check `{cond}` removed")
                add(f, n, "guard-not", line, line.replace(f"if {cond} {{", f"if !({cond}) {{", 1),
                    f"check `{cond}` inverted")
            m = re.match(r"^(\s*)(.+?) if (.+) =>(.*)$", line)
            if m and not s.startswith("//"):
                cond = m.group(3)
                add(f, n, "arm-not", line, line.replace(f" if {cond} =>", f" if !({cond}) =>", 1),
                    f"match guard `{cond}` inverted")
                add(f, n, "arm-off", line, line.replace(f" if {cond} =>", " if true =>", 1),
                    f"match guard `{cond}` removed")
            for op, rep in ((" <= ", " < "), (" >= ", " > "), (" < ", " <= "), (" > ", " >= ")):
                start = 0
                while True:
                    k = line.find(op, start)
                    if k < 0:
                        break
                    start = k + len(op)
                    # Not inside a string or a comment.
                    if line.count('"', 0, k) % 2 or "//" in line[:k]:
                        continue
                    new = line[:k] + rep + line[k + len(op):]
                    add(f, n, "bound", line, new, f"`{op.strip()}` became `{rep.strip()}`")
            nxt = next((lines[k].strip() for k in range(n + 1, len(lines)) if lines[k].strip()), "")
            if s.startswith("&& ") and not nxt.startswith("."):
                cond = s[3:]
                tail = " =>" if cond.endswith(" =>") else ""
                cond = cond[: len(cond) - len(tail)]
                add(f, n, "conj-drop", line, line.replace(s, f"&& true{tail}", 1),
                    f"conjunct `{cond}` dropped")
            elif nxt.startswith("&& ") and not s.startswith("&&") and not s.endswith("{"):
                # The first conjunct of a chain (after `let x =`, if any).
                m = re.match(r"^(\s*(?:let \w+ = |\w+ if )?)(.+)$", line)
                if m:
                    add(f, n, "conj-drop", line, m.group(1) + "true",
                        f"conjunct `{m.group(2).strip()}` dropped")
            prev = next((lines[k].strip() for k in range(n - 1, -1, -1) if lines[k].strip()), "")
            if s.endswith("?;") and not s.startswith("let ") and \
                    re.match(r"^[a-z_][\w.]*[(.]", s) and \
                    (prev.endswith(";") or prev.endswith("{") or prev.endswith("}")
                     or prev.startswith("//")):
                ind = line[: len(line) - len(line.lstrip())]
                add(f, n, "try-drop", line, f"{ind}let _ = {s[:-2]};",
                    f"error of `{s[:-2]}` ignored")
    manual = []
    for i, (f, old, new, desc) in enumerate(MANUAL):
        text = open(f"{root}/{f}").read()
        if text.count(old) != 1:
            sys.exit(f"mutants.py: manual mutant {i} ({f}): the text occurs {text.count(old)} times")
        line = text[: text.index(old)].count("\n") + 1
        manual.append({"file": f, "line": line, "op": "manual", "old": old, "new": new,
                       "desc": desc})
    a, b = LATE
    late = dict(manual[b])
    late["edits"] = [[manual[a]["old"], manual[a]["new"]], [manual[b]["old"], manual[b]["new"]]]
    late["desc"] = manual[b]["desc"].replace(" (with the early store removed by the next "
                                             "mutant's twin)", "")
    manual = [m for k, m in enumerate(manual) if k != b]
    manual.insert(b, late)
    out.extend(manual)
    for i, m in enumerate(out):
        m["id"] = f"m{i + 1:03d}"
    return out


if __name__ == "__main__":
    for m in generate(sys.argv[1] if len(sys.argv) > 1 else "."):
        print(json.dumps(m))
