#!/usr/bin/env bash
# Generate the DEMONSTRATION audio for content/oral-history/demo-tuyang-memories.yml, fully offline.
#
# The recording is synthetic speech (espeak-ng, Mandarin), not an interview: it says that it is a demo, then reads
# each segment's title and synopsis in order. Every segment is padded with silence to a whole number of seconds
# (at least GAP seconds of silence after its speech), so segment boundaries fall exactly on the HH:MM:SS timecodes
# printed at the end; copy those into the YAML (`duration`, segments' `start`/`end`) whenever the texts change.
#
# Needs the Debian packages espeak-ng, opus-tools and sox; installs them with apt-get if run as root.
# Usage: scripts/make-demo-audio.sh [output.opus]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/content/media/demo-tuyang-memories.opus}"
RATE=22050      # espeak-ng's native sample rate; whole seconds are whole samples
SPEED=140       # words per minute; slower than espeak's default 175, easier to follow
GAP=1           # minimum silence (seconds) after each segment's speech
PAUSE=0.6       # silence (seconds) between sentences inside a segment
BITRATE=8       # kbit/s; plenty for synthetic mono speech, keeps the file a few tens of KB

# Spoken texts. Numbers are written out in Chinese characters: espeak-ng reads Arabic digits in English.
OPENING="演示录音，非真实访谈。"
SEGMENTS=(
  "开场说明。|演示采访者说明这是一条演示记录，受访者是虚构人物。"
  "村里的老教堂。|受访者转述听来的说法：土洋的老教堂建于一九一二年，后来游击队司令部搬了进来。"
  "东江纵队在教堂里成立。|受访者转述：一九四三年十二月二日，东江纵队在这座教堂宣告成立，一九四九年以后这里做过村里的学校。"
  "今天的旧址。|受访者谈到旧址如今是全国重点文物保护单位，里面有东江纵队的历史陈列。"
)

need=()
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v opusenc >/dev/null || need+=(opus-tools)
{ command -v sox >/dev/null && command -v soxi >/dev/null; } || need+=(sox)
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y "${need[@]}" || { apt-get update && apt-get install -y "${need[@]}"; }
  else
    echo "Missing packages: ${need[*]} (run: sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi

# Debian's espeak-ng 1.51 `cmn` voice reads much of its own pinyin output with English rules; the
# cmn-latn-pinyin variant is the same Mandarin voice with proper pinyin reading. Fall back to cmn if it is absent.
VOICE=cmn
espeak-ng --voices=cmn | grep -q 'cmn-latn-pinyin' && VOICE=cmn-latn-pinyin

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

speak() { # speak TEXT FILE -> mono 16-bit WAV at $RATE
  espeak-ng -v "$VOICE" -s "$SPEED" -w "$TMP/raw.wav" "$1"
  sox -q "$TMP/raw.wav" -r "$RATE" -c 1 -b 16 "$2"
}

parts=()
for i in "${!SEGMENTS[@]}"; do
  n=$((i + 1))
  IFS='|' read -r title synopsis <<<"${SEGMENTS[$i]}"
  sentences=()
  ((i == 0)) && sentences+=("$OPENING")
  sentences+=("$title" "$synopsis")
  files=()
  for j in "${!sentences[@]}"; do
    speak "${sentences[$j]}" "$TMP/s$n-$j.wav"
    # Trim espeak's own leading/trailing silence so the pauses below are exact.
    sox -q "$TMP/s$n-$j.wav" "$TMP/t$n-$j.wav" silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse
    if ((j < ${#sentences[@]} - 1)); then
      sox -q "$TMP/t$n-$j.wav" "$TMP/p$n-$j.wav" pad 0 "$PAUSE"
      files+=("$TMP/p$n-$j.wav")
    else
      files+=("$TMP/t$n-$j.wav")
    fi
  done
  if ((${#files[@]} > 1)); then sox -q "${files[@]}" "$TMP/speech$n.wav"; else cp "${files[0]}" "$TMP/speech$n.wav"; fi
  # Pad with silence up to a whole number of seconds, leaving at least $GAP s after the speech.
  speech_samples=$(soxi -s "$TMP/speech$n.wav")
  total_samples=$(((speech_samples + GAP * RATE + RATE - 1) / RATE * RATE))
  sox -q "$TMP/speech$n.wav" "$TMP/seg$n.wav" pad 0 "$((total_samples - speech_samples))s"
  parts+=("$TMP/seg$n.wav")
done

sox -q "${parts[@]}" "$TMP/all.wav"
mkdir -p "$(dirname "$OUT")"
# Fixed serial number and no date comment: same tools + same texts => byte-identical file.
opusenc --quiet --bitrate "$BITRATE" --downmix-mono --speech --serial 20261126 \
  --title "演示录音（非真实访谈）" --artist "大鹏红色教育资源（演示数据）" \
  "$TMP/all.wav" "$OUT"

# Timecodes: each segment starts where its WAV starts (its speech begins right there); it ends where the next starts.
hms() { printf '%02d:%02d:%02d' $(($1 / 3600)) $(($1 % 3600 / 60)) $(($1 % 60)); }
echo "Wrote $OUT ($(stat -c %s "$OUT") bytes, voice $VOICE)"
start=0
for i in "${!parts[@]}"; do
  d=$(soxi -D "${parts[$i]}")
  end=$(awk -v s="$start" -v d="$d" 'BEGIN { printf "%d", s + d + 0.5 }')   # whole seconds by construction
  echo "segment $((i + 1)): start \"$(hms "$start")\" end \"$(hms "$end")\" (measured ${d}s)"
  start=$end
done
echo "duration: \"$(hms "$start")\" (soxi: $(soxi -D "$TMP/all.wav")s)"
