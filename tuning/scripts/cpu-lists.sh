# Sourced by nic-queues.sh and cpu-isolation.sh: CPU list helpers.

# "0-3,8" -> "0 1 2 3 8"
expand_list() {
  local part parts out=()
  IFS=, read -ra parts <<<"$1"
  for part in "${parts[@]}"; do
    [ -z "$part" ] && continue
    if [[ $part == *-* ]]; then out+=($(seq "${part%-*}" "${part#*-}")); else out+=("$part"); fi
  done
  echo "${out[@]}"
}

# "0 1 2 3 8" -> "0,1,2,3,8"
join_list() { echo "$@" | tr ' ' ','; }

# CPU numbers -> the kernel's hex mask format: 32-bit groups, comma separated ("ff,00000001")
cpu_mask() {
  local max=0 c words=() i out
  for c in "$@"; do [ "$c" -gt "$max" ] && max=$c; done
  for ((i = 0; i <= max / 32; i++)); do words[i]=0; done
  for c in "$@"; do words[c / 32]=$((words[c / 32] | (1 << (c % 32)))); done
  out=$(printf '%x' "${words[max / 32]}")
  for ((i = max / 32 - 1; i >= 0; i--)); do out+=$(printf ',%08x' "${words[i]}"); done
  echo "$out"
}
