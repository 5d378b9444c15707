#!/usr/bin/env bash
# Generate the DEMONSTRATION audio of a demo oral-history record (content/oral-history/<record>.yml), fully offline.
#
# The recording is synthetic speech (espeak-ng, Mandarin), not an interview. It reads each segment's transcript,
# word for word, so that the captions (made from the transcripts) match what is heard; the first transcript says
# that this is a demonstration recording. Numbers are spoken as Chinese numerals (espeak-ng reads Arabic digits in
# English): that is the only difference between the texts below and the transcripts in the YAML. Every segment is
# padded with silence to a whole number of seconds (at least GAP seconds of silence after its speech), so segment
# boundaries fall exactly on the HH:MM:SS timecodes printed at the end; copy those into the YAML (`duration`,
# segments' `start`/`end`) whenever the texts change.
#
# Needs the Debian packages espeak-ng, opus-tools and sox; installs them with apt-get if run as root.
# Usage: scripts/make-demo-audio.sh demo-tuyang-memories|demo-shayuchong-withdrawal [output.opus]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RECORD="${1:-demo-tuyang-memories}"
OUT="${2:-$ROOT/content/media/$RECORD.opus}"
RATE=22050      # espeak-ng's native sample rate; whole seconds are whole samples
SPEED=140       # words per minute; slower than espeak's default 175, easier to follow
GAP=1           # minimum silence (seconds) after each segment's speech
PAUSE=0.6       # silence (seconds) between sentences inside a segment
BITRATE=8       # kbit/s; plenty for synthetic mono speech, keeps the file a few tens of KB

# Spoken texts: each segment's transcript, one sentence per item ("|" between sentences), numbers in Chinese.
case "$RECORD" in
  demo-tuyang-memories)
    SEGMENTS=(
      "演示录音，非真实访谈。|我是虚构的受访者林某。|下面我只转述本页所列资料上写的内容，不是我的亲身经历，也不是老人们的讲述。"
      "资料上写着：土洋的这座天主教堂建于一九一二年，原来是意大利人的教堂。|太平洋战争期间神父离开以后，游击队司令部从龙华迁到了这里。"
      "资料上写着：一九四三年十二月二日，东江纵队在这里宣告成立。|领导人在主楼办公和居住，小教堂用作会议室和作战室。|一九四九年以后，这里改作村里的学校。"
      "资料上写着：这里现在是全国重点文物保护单位。|一九九七年修缮时，增设了东江纵队历史陈列。"
    )
    ;;
  demo-shayuchong-withdrawal)
    SEGMENTS=(
      "演示录音，非真实访谈。|我是虚构的受访者陈某。|下面我只转述本页所列资料上写的内容，不是我的亲身经历，也不是老人们的讲述。"
      "资料上写着：一九四六年六月三十日，北撤人员两千五百八十三人在沙鱼涌登上三艘美国登陆舰，北撤烟台。|关于日期和人数，资料说法不一，详见事件条目。"
      "资料上写着：原宝安县政府在一九八九年修建了北撤纪念亭和纪念碑。|现在这里是深圳市的爱国主义教育基地。"
      "资料上写着：沙鱼涌红色记忆陈列馆在二零一六年开馆，开馆的月份有六月和七月两种说法。|一份资料记载，馆里展出居民捐赠的一百六十多件物品。"
    )
    ;;
  *)
    echo "Unknown record: $RECORD (demo-tuyang-memories or demo-shayuchong-withdrawal)" >&2
    exit 2
    ;;
esac

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
  IFS='|' read -r -a sentences <<<"${SEGMENTS[$i]}"
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
# (The published copy is stripped of every tag anyway: see build_hooks/heritage/media.py.)
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
