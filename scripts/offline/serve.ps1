# Dapeng red heritage, offline edition: the server for Windows machines without Python (start-windows.bat runs it).
# The same as serve.py: the "site" folder beside this file, on 127.0.0.1 only, port 8765 or the next free one,
# byte ranges for recordings, the security headers of headers.json on every answer, 400 for a malformed request or a
# Host header other than this server's loopback address, 404 for dotfiles. Windows PowerShell 5.1 (every Windows
# 10/11) is enough; no administrator rights (a TcpListener on the loopback address needs none). Not exercised by
# the test suite, which has no Windows: serve.py is the tested server.
$ErrorActionPreference = 'Stop'
$root = Join-Path $PSScriptRoot 'site'
$rootFull = [System.IO.Path]::GetFullPath($root)
if (-not (Test-Path (Join-Path $root 'index.html'))) {
    Write-Host "Site files not found in $root. Unzip the whole package first."
    exit 1
}
$headersFile = Join-Path $PSScriptRoot 'headers.json'
if (-not (Test-Path $headersFile)) {
    Write-Host "headers.json not found beside this script. Unzip the whole package first."
    exit 1
}
$security = @{}
(Get-Content -Raw -Encoding UTF8 $headersFile | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $security[$_.Name] = [string]$_.Value }
$types = @{
    '.html' = 'text/html; charset=utf-8'; '.css' = 'text/css; charset=utf-8'; '.js' = 'text/javascript; charset=utf-8'
    '.mjs' = 'text/javascript; charset=utf-8'; '.json' = 'application/json; charset=utf-8'; '.geojson' = 'application/geo+json'
    '.csv' = 'text/csv; charset=utf-8'; '.txt' = 'text/plain; charset=utf-8'; '.xml' = 'application/xml'
    '.vtt' = 'text/vtt; charset=utf-8'; '.svg' = 'image/svg+xml'; '.wasm' = 'application/wasm'; '.png' = 'image/png'
    '.jpg' = 'image/jpeg'; '.jpeg' = 'image/jpeg'; '.gif' = 'image/gif'; '.webp' = 'image/webp'; '.ico' = 'image/x-icon'
    '.opus' = 'audio/ogg'; '.ogg' = 'audio/ogg'; '.oga' = 'audio/ogg'; '.mp3' = 'audio/mpeg'; '.m4a' = 'audio/mp4'
    '.mp4' = 'video/mp4'; '.wav' = 'audio/wav'; '.flac' = 'audio/flac'; '.woff2' = 'font/woff2'; '.gpx' = 'application/gpx+xml'
}
$listener = $null
foreach ($port in 8765..8784) {
    try {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port)
        $listener.Start()
        break
    } catch { $listener = $null }
}
if ($null -eq $listener) { Write-Host 'Ports 8765-8784 are all in use. Close other programs and try again.'; exit 1 }
$url = "http://127.0.0.1:$port/"
Write-Host "Dapeng red heritage (offline): $url"
Write-Host 'Close this window to stop.'
Start-Process $url

function Send($stream, [int]$code, [string]$reason, [hashtable]$headers, [byte[]]$body, [long]$offset, [long]$count) {
    $head = "HTTP/1.1 $code $reason`r`nConnection: close`r`nCache-Control: no-cache`r`n"
    foreach ($k in $security.Keys) { $head += "${k}: $($security[$k])`r`n" }
    foreach ($k in $headers.Keys) { $head += "${k}: $($headers[$k])`r`n" }
    $bytes = [System.Text.Encoding]::ASCII.GetBytes($head + "`r`n")
    $stream.Write($bytes, 0, $bytes.Length)
    if ($null -ne $body -and $count -gt 0) { $stream.Write($body, [int]$offset, [int]$count) }
}

while ($true) {
    $client = $listener.AcceptTcpClient()
    try {
        $stream = $client.GetStream()
        $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII, $false, 8192, $true)
        $request = $reader.ReadLine()
        $range = $null
        $hosts = @()
        while ($true) {
            $line = $reader.ReadLine()
            if ([string]::IsNullOrEmpty($line)) { break }
            if ($line -match '^Range:\s*bytes=(\d*)-(\d*)\s*$') { $range = $Matches }
            if ($line -match '^Host:\s*(\S*)\s*$') { $hosts += $Matches[1].ToLowerInvariant() }
        }
        if ($null -eq $request -or $request -match '[\x00-\x1f\x7f]' -or $request.Length -gt 2100) { Send $stream 400 'Bad Request' @{'Content-Length' = '0'} $null 0 0; continue }
        if ($hosts.Count -ne 1 -or @("127.0.0.1:$port", "localhost:$port", "[::1]:$port") -notcontains $hosts[0]) { Send $stream 400 'Bad Request' @{'Content-Length' = '0'} $null 0 0; continue }
        if ($request -notmatch '^(GET|HEAD) (/\S*) HTTP/') { Send $stream 405 'Method Not Allowed' @{'Content-Length' = '0'} $null 0 0; continue }
        $method = $Matches[1]
        $target = ($Matches[2] -split '[?#]')[0]
        if ($target -match '%(?![0-9A-Fa-f]{2})') { Send $stream 400 'Bad Request' @{'Content-Length' = '0'} $null 0 0; continue }
        $path = [System.Uri]::UnescapeDataString($target)
        if ($path -match '[\x00-\x1f\x7f-\x9f\\:]' -or $path -match '(^|/)\.') { Send $stream 404 'Not Found' @{'Content-Length' = '0'} $null 0 0; continue }
        $file = [System.IO.Path]::GetFullPath((Join-Path $rootFull ($path.TrimStart('/') -replace '/', '\')))
        if (-not $file.StartsWith($rootFull, [System.StringComparison]::OrdinalIgnoreCase)) { Send $stream 403 'Forbidden' @{'Content-Length' = '0'} $null 0 0; continue }
        if (Test-Path $file -PathType Container) {
            if (-not $path.EndsWith('/')) { Send $stream 301 'Moved Permanently' @{'Location' = "$path/"; 'Content-Length' = '0'} $null 0 0; continue }
            $file = Join-Path $file 'index.html'
        }
        if (-not (Test-Path $file -PathType Leaf)) {
            $missing = Join-Path $rootFull '404.html'
            $body = if (Test-Path $missing) { [System.IO.File]::ReadAllBytes($missing) } else { [byte[]]@() }
            Send $stream 404 'Not Found' @{'Content-Type' = 'text/html; charset=utf-8'; 'Content-Length' = "$($body.Length)"} $body 0 $body.Length
            continue
        }
        $body = [System.IO.File]::ReadAllBytes($file)
        $type = $types[[System.IO.Path]::GetExtension($file).ToLowerInvariant()]
        if ($null -eq $type) { $type = 'application/octet-stream' }
        $size = [long]$body.Length
        if ($null -ne $range -and ($range[1] -ne '' -or $range[2] -ne '')) {
            if ($range[1] -eq '') { $start = [Math]::Max(0, $size - [long]$range[2]); $end = $size - 1 }
            else { $start = [long]$range[1]; $end = if ($range[2] -eq '') { $size - 1 } else { [Math]::Min([long]$range[2], $size - 1) } }
            if ($start -gt $end) { Send $stream 416 'Range Not Satisfiable' @{'Content-Range' = "bytes */$size"; 'Content-Length' = '0'} $null 0 0; continue }
            $count = $end - $start + 1
            $headers = @{'Content-Type' = $type; 'Accept-Ranges' = 'bytes'; 'Content-Range' = "bytes $start-$end/$size"; 'Content-Length' = "$count"}
            if ($method -eq 'HEAD') { $count = 0 }
            Send $stream 206 'Partial Content' $headers $body $start $count
        } else {
            $count = if ($method -eq 'HEAD') { 0 } else { $size }
            Send $stream 200 'OK' @{'Content-Type' = $type; 'Accept-Ranges' = 'bytes'; 'Content-Length' = "$size"} $body 0 $count
        }
    } catch {
        # a browser that closed the connection early (seeking in a recording): nothing to do
    } finally {
        $client.Close()
    }
}
