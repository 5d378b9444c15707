@echo off
rem Dapeng red heritage, offline edition (Windows): double-click this file.
chcp 65001 >nul
cd /d "%~dp0"
where py >nul 2>nul
if %errorlevel%==0 (
  py -3 serve.py
  goto end
)
python -c "import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)" >nul 2>nul
if %errorlevel%==0 (
  python serve.py
  goto end
)
echo Python 3 was not found: using the PowerShell server instead.
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0serve.ps1"
:end
pause
