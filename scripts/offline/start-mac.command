#!/bin/sh
# 大鹏红色教育资源 · 离线版（macOS）：双击本文件。第一次打开如被系统拦截，请右键点击本文件，选择“打开”。
cd "$(dirname "$0")" || exit 1
if command -v python3 >/dev/null 2>&1; then
  exec python3 serve.py "$@"
fi
echo "需要 Python 3：macOS 会提示安装“命令行开发者工具”，安装后重新双击本文件；也可以从 python.org 安装 Python。"
read -r _
