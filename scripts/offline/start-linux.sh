#!/bin/sh
# 大鹏红色教育资源 · 离线版（Linux）：在终端中运行 ./start-linux.sh，或在文件管理器中双击选择“运行”。
cd "$(dirname "$0")" || exit 1
if command -v python3 >/dev/null 2>&1; then
  exec python3 serve.py "$@"
fi
echo "需要 Python 3：请先安装（例如 sudo apt install python3），然后重新运行本脚本。"
exit 1
