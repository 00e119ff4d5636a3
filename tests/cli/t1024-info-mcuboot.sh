# stimg info on MCUboot images: what imgtool dumpinfo shows (the header
# fields, every TLV of both areas, the swap trailer), in text and in
# --json. The expected values are the vectors' (tests/data/mcuboot/README.md:
# header 0x200, image 0xBB8, security counter 0x10203, RAM_LOAD at
# 0x20000000); the SHA256 TLV shown is openssl's digest of the bytes
# before the TLV area. A damaged image shows what was read and why it
# stopped; other files have "mcuboot": null (t0130).
. "$STIMG_TOP/tests/cli/lib.sh"
need openssl
D=$TOP/tests/data/mcuboot
cp "$D/signed-ed25519-seccnt-loadaddr.bin" l.bin

run 0 stimg info l.bin@0x08020000
cat >want <<'EOF'
l.bin@0x08020000: raw binary
  entry point   none
  data          3668 bytes in 1 region(s)
    0x08020000..0x08020E53        3668 bytes
  mcuboot       header at 0x08020000
    magic               0x96F3B83D
    load address        0x20000000
    header size         0x200
    protected TLV size  0xC
    image size          0xBB8 (3000 bytes)
    flags               0x00000020 (RAM_LOAD)
    version             3.1.0+0
    protected TLVs      at offset 0xDB8: magic 0x6908, 0xC bytes
      SEC_CNT (0x50), 4 bytes at offset 0xDBC
        03020100
    TLV area            at offset 0xDC4: magic 0x6907, 0x90 bytes
      SHA256 (0x10), 32 bytes at offset 0xDC8
        9c8bcd6e2031b24e8abcb7653857d1402f5321663109cd076c7b5258bf6f5da8
      KEYHASH (0x01), 32 bytes at offset 0xDEC
        f5af06db49cc45f4ded5536720f82900ddf347ce6ef8b835ab4ccfbaa2c3f152
      ED25519 (0x24), 64 bytes at offset 0xE10
        158c1a051358360d634d8d2fc619892f9321e0991670b16838fc1ab26c1077d6
        6bb92887d70cc325b223cf777bb5d975fe66e9df0313723b7fb361c545533d0c
    trailer             none: the data ends with the TLV area
  vector table  at 0x08020000: initial SP 0x96F3B83D (not in RAM or not aligned), reset handler 0x20000000 (not a Thumb address inside the image)
EOF
expect_same out want
# the digest shown is that of header, image and protected TLVs
head -c $((0xDC4)) l.bin | openssl dgst -sha256 | sed 's/.*= //' >digest
grep -qx "        $(cat digest)" out || fail "SHA256 TLV is not openssl's $(cat digest)"

run 0 stimg info --json l.bin@0x08020000
printf '%s\n' '{"files":[{"file":"l.bin@0x08020000","format":"bin","attributes":{},"entry":null,"bytes":3668,"regions":[{"start":134348800,"end":134352468,"size":3668}],"gaps":[],"vector_table":{"address":134348800,"initial_sp":2532554813,"reset_handler":536870912,"sp_plausible":false,"reset_plausible":false},"stripped":[],"sections":[],"header":[],"elf":null,"mcuboot":{"address":134348800,"header":{"magic":2532554813,"load_address":536870912,"header_size":512,"protected_tlv_size":12,"image_size":3000,"flags":32,"flag_names":["RAM_LOAD"],"version":"3.1.0+0"},"protected_tlv_area":{"offset":3512,"magic":26888,"size":12},"tlv_area":{"offset":3524,"magic":26887,"size":144},"tlvs":[{"type":80,"name":"SEC_CNT","protected":true,"offset":3516,"length":4,"value":"03020100"},{"type":16,"name":"SHA256","protected":false,"offset":3528,"length":32,"value":"9c8bcd6e2031b24e8abcb7653857d1402f5321663109cd076c7b5258bf6f5da8"},{"type":1,"name":"KEYHASH","protected":false,"offset":3564,"length":32,"value":"f5af06db49cc45f4ded5536720f82900ddf347ce6ef8b835ab4ccfbaa2c3f152"},{"type":36,"name":"ED25519","protected":false,"offset":3600,"length":64,"value":"158c1a051358360d634d8d2fc619892f9321e0991670b16838fc1ab26c1077d66bb92887d70cc325b223cf777bb5d975fe66e9df0313723b7fb361c545533d0c"}],"trailer":{"state":"none","max_align":null,"image_ok":null,"copy_done":null,"swap_info":null,"swap_size":null},"error":null}}]}' >want
expect_same out want

# the trailer: imgtool's padded HEX (max align 8, confirmed), and a
# binary padded for max align 32, not confirmed
run 0 stimg info "$D/signed-ed25519-padded-at-0x08020000.hex"
grep -A1 '^    trailer' out >got
cat >want <<'EOF'
    trailer             boot magic at 0x0803FFF0, max align 8
      image_ok 0x01 (set), copy_done 0xFF (unset), swap_info 0xFF, swap_size 0xFFFFFFFF
EOF
expect_same got want
run 0 stimg info --json "$D/signed-ed25519-padded-at-0x08020000.hex"
grep -qF '"trailer":{"state":"magic","max_align":8,"image_ok":1,"copy_done":255,"swap_info":255,"swap_size":4294967295},"error":null}}]}' out ||
	fail "padded trailer: $(cat out)"
run 0 stimg info "$D/signed-ed25519-align4-maxalign32.bin@0x08020000"
grep -A1 '^    trailer' out >got
cat >want <<'EOF'
    trailer             boot magic at 0x08023FF0, max align 32
      image_ok 0xFF (unset), copy_done 0xFF (unset), swap_info 0xFF, swap_size 0xFFFFFFFF
EOF
expect_same got want
# shows FILE TEXT JSON: info FILE has the line TEXT, --json the text JSON
shows() {
	run 0 stimg info "$1"
	grep -qxF -- "$2" out || fail "$1: no line '$2' in $(cat out)"
	run 0 stimg info --json "$1"
	grep -qF -- "$3" out || fail "$1: no '$3' in $(cat out)"
}

# bytes after the TLV area without a magic
cp "$D/signed-ed25519.bin" more.bin
printf 'trailing bytes!!' >>more.bin
shows more.bin@0 \
	"    trailer             0x10 bytes after the TLV area, no boot magic at their end" \
	'"trailer":{"state":"no_magic","max_align":null,"image_ok":null,'

# a damaged image: what was read, and why it stopped; info still succeeds
head -c 40 "$D/signed-ed25519.bin" >short.bin
shows short.bin@0 \
	"    not read further    header 0x200 and image 0xBB8 bytes run past the end of the data (0x28 bytes)" \
	'"tlv_area":null,"tlvs":[],"trailer":null,"error":"header 0x200 and image 0xBB8 bytes run past the end of the data (0x28 bytes)"}}]}'
run 0 stimg info short.bin@0
grep -qx "    version             1.2.3+4" out || fail "short: $(cat out)"
head -c 20 "$D/signed-ed25519.bin" >header.bin
shows header.bin@0 \
	"    not read further    the data (20 bytes) ends inside the 32-byte header" \
	'"mcuboot":{"address":0,"header":null,'
exit 0
