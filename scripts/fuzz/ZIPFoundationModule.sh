# Sourced by the fuzz scripts that compile GlossExtraction: builds ZIPFoundation (from the package's
# checkout, so run `swift build` first) as a static library and module in $out, and sets
# $zip_flags for the swiftc line that compiles GlossExtraction.
zip_sources=.build/checkouts/ZIPFoundation/Sources
[ -d "$zip_sources/ZIPFoundation" ] || { echo "no ZIPFoundation checkout: run 'swift build' first" >&2; exit 2; }
mkdir -p "$out/modules"
swiftc -parse-as-library -module-name ZIPFoundation -swift-version 5 -O -sanitize=address \
    -I "$zip_sources/CZLib" -Xcc -D_GNU_SOURCE=1 \
    -emit-module -emit-module-path "$out/modules/ZIPFoundation.swiftmodule" \
    -emit-library -static -o "$out/libZIPFoundation.a" "$zip_sources"/ZIPFoundation/*.swift
zip_flags=(-I "$out/modules" -I "$zip_sources/CZLib" -L "$out" -lZIPFoundation -lz)
