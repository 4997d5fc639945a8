#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (playwright-core cannot download a browser here), and
# Chinese needs a CJK font or it renders as boxes. Installs what is missing with apt-get; quiet and
# quick when both are there. Run by `npm test` (pretest) and by .ci/run.
set -euo pipefail
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "安装浏览器测试所需的软件包 / installing for the browser tests: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
