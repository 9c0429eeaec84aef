#!/usr/bin/env bash
# Rebuilds assets/fonts/hallsim-sans.otf: Noto Sans CJK SC (SIL Open Font
# License, see OFL.txt) cut down to ASCII plus every character of
# src/report/labels.rs and of the shipped scenarios' labels, so charts render
# the same on any machine.
# Needs: apt-get install fonts-noto-cjk; python3 -m pip install fonttools
set -euo pipefail
cd "$(dirname "$0")/../.."
src=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
text=$(python3 -c '
import glob, re
s = open("src/report/labels.rs", encoding="utf-8").read()
for f in glob.glob("scenarios/**/*.toml", recursive=True):
    s += "".join(re.findall(r"^label(?:_zh)? = \"([^\"]*)\"", open(f, encoding="utf-8").read(), re.M))
print("".join(sorted({c for c in s if ord(c) > 127})))')
pyftsubset "$src" --font-number=2 --text="$text" --unicodes="U+0020-007E,U+00B1,U+2013,U+2014,U+00B7" \
  --layout-features='' --no-hinting --desubroutinize --output-file=assets/fonts/hallsim-sans.otf
ls -l assets/fonts/hallsim-sans.otf
