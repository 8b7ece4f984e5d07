# Sourced by the fuzz scripts that compile GlossExtraction: builds what it imports, ZIPFoundation
# (from the package's checkout, so run `swift build` first) as a static library and module in $out
# and the PDF loader, and sets $zip_flags for the swiftc line that compiles GlossExtraction.
zip_sources=.build/checkouts/ZIPFoundation/Sources
[ -d "$zip_sources/ZIPFoundation" ] || { echo "no ZIPFoundation checkout: run 'swift build' first" >&2; exit 2; }
mkdir -p "$out/modules"
swiftc -parse-as-library -module-name ZIPFoundation -swift-version 5 -O -sanitize=address \
    -I "$zip_sources/CZLib" -Xcc -D_GNU_SOURCE=1 \
    -emit-module -emit-module-path "$out/modules/ZIPFoundation.swiftmodule" \
    -emit-library -static -o "$out/libZIPFoundation.a" "$zip_sources"/ZIPFoundation/*.swift
zip_flags=(-I "$out/modules" -I "$zip_sources/CZLib" -L "$out" -lZIPFoundation -lz)

# The PDF loader, a C target GlossExtraction imports: its object and a module map for swiftc.
mkdir -p "$out/cpdfloader"
clang -c -O1 -fsanitize=address -I Sources/CPDFLoader/include Sources/CPDFLoader/loader.c -o "$out/cpdfloader/loader.o"
printf 'module CPDFLoader {\n    header "%s"\n    export *\n}\n' "$PWD/Sources/CPDFLoader/include/CPDFLoader.h" \
    > "$out/cpdfloader/module.modulemap"
zip_flags+=(-I "$out/cpdfloader" "$out/cpdfloader/loader.o" -ldl)
