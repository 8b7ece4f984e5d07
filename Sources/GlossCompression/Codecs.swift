import CCompression

/// Zstandard and gzip through the system's libzstd and zlib, on byte arrays. A target of its own,
/// without Foundation: a module that imports both Foundation and a C library module can meet two
/// different ICU headers (Foundation's and, through libxml2, the system's), which clang refuses.
package enum Codecs {
    package enum Failure: Error, Sendable, Equatable {
        /// Expands past the limit given.
        case tooLarge
        /// Not data in this coding, or cut short.
        case corrupt
    }

    /// What compressing failed with: a library's own error, which valid input never causes.
    package struct CompressionError: Error, CustomStringConvertible {
        package let description: String
    }

    // MARK: - Zstandard

    /// zstd's own default level: level 9 takes four times as long for 12% fewer bytes.
    private static let zstdLevel: Int32 = 3

    package static func zstdCompress(_ data: [UInt8]) throws -> [UInt8] {
        // Like any Swift allocation, a context that cannot be allocated stops the program.
        guard let context = ZSTD_createCCtx() else { preconditionFailure("zstd could not allocate a context") }
        defer { ZSTD_freeCCtx(context) }
        // The checksum: four bytes a frame that let a reader tell a damaged body from a whole one.
        for (parameter, value) in [(ZSTD_c_compressionLevel, zstdLevel), (ZSTD_c_checksumFlag, 1)] {
            let result = ZSTD_CCtx_setParameter(context, parameter, value)
            guard ZSTD_isError(result) == 0 else { throw zstdError(result) }
        }
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
        let written = output.withUnsafeMutableBytes { destination in
            data.withUnsafeBytes { input in
                ZSTD_compress2(context, destination.baseAddress, destination.count, input.baseAddress, input.count)
            }
        }
        guard ZSTD_isError(written) == 0 else { throw zstdError(written) }
        return Array(output[..<written])
    }

    private static func zstdError(_ code: Int) -> CompressionError {
        CompressionError(description: "zstd: " + String(cString: ZSTD_getErrorName(code)))
    }

    /// Streams the frames out a block at a time, so a small body that expands to a huge size
    /// stops at `limit`. What a frame's header announces is not trusted.
    package static func zstdExpand(_ data: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        guard let context = ZSTD_createDCtx() else { preconditionFailure("zstd could not allocate a context") }
        defer { ZSTD_freeDCtx(context) }
        var output: [UInt8] = []
        var block = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
        let failure: Failure? = data.withUnsafeBytes { raw in
            var input = ZSTD_inBuffer(src: raw.baseAddress, size: raw.count, pos: 0)
            while true {
                let (pending, produced) = block.withUnsafeMutableBytes { out in
                    var buffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                    let pending = ZSTD_decompressStream(context, &buffer, &input)
                    return (pending, buffer.pos)
                }
                if ZSTD_isError(pending) != 0 { return .corrupt }
                guard output.count + produced <= limit else { return .tooLarge }
                output.append(contentsOf: block[..<produced])
                if input.pos == input.size {
                    if pending == 0 { return nil }               // every frame is whole
                    if produced < block.count { return .corrupt } // cut short
                }
            }
        }
        if let failure { throw failure }
        return output
    }

    // MARK: - Zstandard, streamed

    /// Compresses what `read` gives (it fills the buffer it is handed and says how many bytes;
    /// 0 at the end) into one frame, handing each compressed piece to `write`: memory stays a
    /// few buffers, whatever the size (a snapshot of a large library is gigabytes).
    package static func zstdCompressStream(read: (UnsafeMutableRawBufferPointer) throws -> Int,
                                           write: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let context = ZSTD_createCCtx() else { preconditionFailure("zstd could not allocate a context") }
        defer { ZSTD_freeCCtx(context) }
        for (parameter, value) in [(ZSTD_c_compressionLevel, zstdLevel), (ZSTD_c_checksumFlag, 1)] {
            let result = ZSTD_CCtx_setParameter(context, parameter, value)
            guard ZSTD_isError(result) == 0 else { throw zstdError(result) }
        }
        var inBlock = [UInt8](repeating: 0, count: ZSTD_CStreamInSize())
        var outBlock = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
        while true {
            let count = try inBlock.withUnsafeMutableBytes { try read($0) }
            let last = count == 0
            try inBlock.withUnsafeBytes { raw in
                var input = ZSTD_inBuffer(src: raw.baseAddress, size: count, pos: 0)
                var done = false
                while !done {
                    try outBlock.withUnsafeMutableBytes { out in
                        var output = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                        let remaining = ZSTD_compressStream2(context, &output, &input, last ? ZSTD_e_end : ZSTD_e_continue)
                        guard ZSTD_isError(remaining) == 0 else { throw zstdError(remaining) }
                        if output.pos > 0 { try write(UnsafeRawBufferPointer(rebasing: out[..<output.pos])) }
                        done = last ? remaining == 0 : input.pos == input.size
                    }
                }
            }
            if last { return }
        }
    }

    /// Expands the zstd frames in `input` into `output`, which they must fill exactly: a
    /// snapshot body whose size its header gives, expanded in one call (no window copied out a
    /// block at a time). Fewer bytes than `output` holds, more, or no zstd is `Failure.corrupt`.
    package static func zstdExpand(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard let context = ZSTD_createDCtx() else { preconditionFailure("zstd could not allocate a context") }
        defer { ZSTD_freeDCtx(context) }
        let written = ZSTD_decompressDCtx(context, output.baseAddress, output.count, input.baseAddress, input.count)
        guard ZSTD_isError(written) == 0, written == output.count else { throw Failure.corrupt }
    }

    /// Expands the zstd stream `read` gives, handing each piece to `write`; past `limit` bytes
    /// it stops with `Failure.tooLarge`, and a stream that is not whole zstd is `.corrupt`.
    package static func zstdExpandStream(limit: Int, read: (UnsafeMutableRawBufferPointer) throws -> Int,
                                         write: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let context = ZSTD_createDCtx() else { preconditionFailure("zstd could not allocate a context") }
        defer { ZSTD_freeDCtx(context) }
        var inBlock = [UInt8](repeating: 0, count: ZSTD_DStreamInSize())
        var outBlock = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
        var total = 0
        var pending = 1
        var sawInput = false
        while true {
            let count = try inBlock.withUnsafeMutableBytes { try read($0) }
            if count == 0 { break }
            sawInput = true
            try inBlock.withUnsafeBytes { raw in
                var input = ZSTD_inBuffer(src: raw.baseAddress, size: count, pos: 0)
                // Again while input is left, or while a full block may have held back more
                // output of an unfinished frame (once a frame is whole, another call would wait
                // for the next frame's header).
                var full = true
                while input.pos < input.size || (full && pending != 0) {
                    try outBlock.withUnsafeMutableBytes { out in
                        var output = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                        pending = ZSTD_decompressStream(context, &output, &input)
                        guard ZSTD_isError(pending) == 0 else { throw Failure.corrupt }
                        total += output.pos
                        guard total <= limit else { throw Failure.tooLarge }
                        if output.pos > 0 { try write(UnsafeRawBufferPointer(rebasing: out[..<output.pos])) }
                        full = output.pos == output.size
                    }
                }
            }
        }
        // Every frame whole: zstd has nothing more to give and expects nothing more.
        guard sawInput, pending == 0 else { throw Failure.corrupt }
    }

    // MARK: - gzip

    /// Best compression, for peers that read only gzip.
    private static let gzipLevel: Int32 = 9

    package static func gzipCompress(_ data: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        let started = gloss_gzip_deflate_init(&stream, gzipLevel)
        guard started == Z_OK else { throw CompressionError(description: "zlib: deflateInit2 returned \(started)") }
        defer { deflateEnd(&stream) }
        var source = data // zlib's next_in is not const
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(source.count))))
        let result = source.withUnsafeMutableBytes { input in
            output.withUnsafeMutableBytes { destination in
                stream.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(input.count)
                stream.next_out = destination.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(destination.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw CompressionError(description: "zlib: deflate returned \(result)") }
        return Array(output[..<Int(stream.total_out)])
    }

    /// Like `zstdExpand`: a block at a time up to `limit`, and only a whole stream (its CRC and
    /// length checked by zlib) is a result. Members one after the other read as one body.
    package static func gzipExpand(_ data: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // inflateInit2 fails only when it cannot allocate, which stops the program like any allocation.
        guard gloss_gzip_inflate_init(&stream) == Z_OK else { preconditionFailure("zlib could not allocate its state") }
        defer { inflateEnd(&stream) }
        var source = data // zlib's next_in is not const
        var output: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 128 << 10)
        let failure: Failure? = source.withUnsafeMutableBytes { input in
            stream.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(input.count)
            while true {
                let (result, produced) = block.withUnsafeMutableBytes { out in
                    stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(out.count)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    return (result, out.count - Int(stream.avail_out))
                }
                guard result == Z_OK || result == Z_STREAM_END else { return .corrupt }
                guard output.count + produced <= limit else { return .tooLarge }
                output.append(contentsOf: block[..<produced])
                if result == Z_STREAM_END {
                    if stream.avail_in == 0 { return nil }
                    guard inflateReset(&stream) == Z_OK else { return .corrupt } // another member follows
                } else if stream.avail_in == 0 && produced < block.count {
                    return .corrupt // cut short
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
