#!/usr/bin/env python3
"""Fetches real, well-edited documentation to measure copydesk on.

Downloads Debian's documentation packages (Debian Reference in English and
Simplified Chinese, the Debian Edu manual in Simplified Chinese) with
`apt-get download`, and turns their HTML into Markdown: headings, paragraphs,
list items, block quotes and code blocks, one file per chapter.

Usage: fetch_corpus.py OUT_DIR     (writes OUT_DIR/en/*.md and OUT_DIR/zh/*.md)
"""
import html.parser
import pathlib
import re
import subprocess
import sys
import tempfile

PACKAGES = {
    "debian-reference-en": ("en", "*.en.html"),
    "debian-reference-zh-cn": ("zh", "*.zh-cn.html"),
    "debian-edu-doc-zh-cn": ("zh", "debian-edu-bookworm-manual.html"),
}


class ToMarkdown(html.parser.HTMLParser):
    """Keeps the block structure copydesk reads; drops navigation and tables."""

    BLOCKS = {"p": "", "h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "li": "- ", "dt": "", "dd": ""}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.buf, self.stack, self.skip = [], None, [], 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        navigation = {"navheader", "navfooter", "toc", "list-of-tables", "list-of-figures", "list-of-examples"}
        if tag in ("script", "style", "table", "nav") or (tag == "div" and classes in navigation):
            self.skip += 1
            self.stack.append(("skip", tag))
            return
        if tag == "pre" and not self.skip:
            self.flush()
            self.buf = ("```\n", [])
            self.stack.append(("pre", tag))
            return
        if tag in self.BLOCKS and not self.skip:
            in_item = bool(self.stack) and self.stack[-1][1] == "li"
            if tag == "p" and in_item and self.buf is not None and not "".join(self.buf[1]).strip():
                pass  # the item's first paragraph: keep the "- " marker
            else:
                self.flush()
                quote = "> " if any(t == "blockquote" for _, t in self.stack) else ""
                depth = sum(1 for _, t in self.stack if t == "li")
                marker = "  " if tag == "p" and depth else self.BLOCKS[tag]
                indent = "  " * max(depth - (1 if tag == "p" else 0), 0)
                self.buf = (quote + indent + marker, [])
        if tag == "code" and self.buf is not None and not self.buf[0].startswith("```"):
            self.buf[1].append("`")
        self.stack.append(("tag", tag))

    def handle_endtag(self, tag):
        while self.stack:
            kind, t = self.stack.pop()
            if kind == "skip":
                self.skip -= 1
            if kind == "pre" and self.buf is not None:
                self.out.append("```\n" + "".join(self.buf[1]).rstrip("\n") + "\n```")
                self.buf = None
            if t == "code" and self.buf is not None and not self.buf[0].startswith("```"):
                self.buf[1].append("`")
            if t in self.BLOCKS:
                self.flush()
            if t == tag:
                break

    def handle_data(self, data):
        if self.skip or self.buf is None:
            return
        if self.buf[0].startswith("```"):
            self.buf[1].append(data)
        else:
            self.buf[1].append(re.sub(r"\s+", " ", data))

    def flush(self):
        if self.buf is None or self.buf[0].startswith("```"):
            return
        text = "".join(self.buf[1]).strip().replace("``", "")
        if text:
            self.out.append(self.buf[0] + text)
        self.buf = None


def main():
    out = pathlib.Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        subprocess.run(["apt-get", "download", *PACKAGES], cwd=tmp, check=True, capture_output=True)
        for deb in tmp.glob("*.deb"):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp / "x")], check=True)
        for package, (lang, pattern) in PACKAGES.items():
            (out / lang).mkdir(parents=True, exist_ok=True)
            for page in sorted((tmp / "x").rglob(pattern)):
                parser = ToMarkdown()
                parser.feed(page.read_text(encoding="utf-8", errors="replace"))
                parser.flush()
                name = f"{package}-{page.stem}.md"
                (out / lang / name).write_text("\n\n".join(parser.out) + "\n", encoding="utf-8")
    print(f"wrote {sum(1 for _ in out.rglob('*.md'))} files under {out}")


if __name__ == "__main__":
    main()
