import CCompression
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

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

    /// One frame holding `data`, its size and checksum (four bytes that let a reader tell a
    /// damaged body from a whole one) in its header.
    package static func zstdCompress(_ data: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
        let written = output.withUnsafeMutableBytes { destination in
            data.withUnsafeBytes { compressFrame($0, into: destination) }
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

    /// How much of a snapshot's database one zstd frame holds. Frames are independent, each
    /// saying in its header how much it expands to, so a reader expands them on every core at
    /// once (`zstdExpand(_:into:alongside:)`) and a writer compresses them so. A frame starts
    /// its window afresh: at level 3 (a 2 MiB window) 8 MiB frames cost a fraction of a percent
    /// of the bytes against one frame. Older readers read them as they read one frame: a zstd
    /// stream is any number of frames, one after another.
    package static let zstdFrameBytes = 8 << 20

    /// The cores a stream is compressed or expanded on, at most four.
    static var lanes: Int { max(1, min(4, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))) }

    /// Compresses what `read` gives (it fills the buffer it is handed and says how many bytes;
    /// 0 at the end) into frames of `frameBytes` each, a few at once on the machine's cores,
    /// handing each compressed frame to `write` in order: memory stays two buffers a core,
    /// whatever the size (a snapshot of a large library is gigabytes).
    package static func zstdCompressStream(read: (UnsafeMutableRawBufferPointer) throws -> Int,
                                           write: (UnsafeRawBufferPointer) throws -> Void,
                                           frameBytes: Int = zstdFrameBytes) throws {
        precondition(frameBytes > 0)
        let lanes = Self.lanes
        let bound = ZSTD_compressBound(frameBytes)
        let inputs = UnsafeMutableRawBufferPointer.allocate(byteCount: lanes * frameBytes, alignment: 64)
        let outputs = UnsafeMutableRawBufferPointer.allocate(byteCount: lanes * bound, alignment: 64)
        // Per lane: its input's length, and what compressing it wrote (or a zstd error code).
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: lanes)
        let written = UnsafeMutableBufferPointer<Int>.allocate(capacity: lanes)
        defer {
            inputs.deallocate()
            outputs.deallocate()
            counts.deallocate()
            written.deallocate()
        }
        var ended = false
        var frames = 0
        while !ended {
            var filled = 0
            while filled < lanes && !ended {
                let lane = UnsafeMutableRawBufferPointer(rebasing: inputs[(filled * frameBytes)..<((filled + 1) * frameBytes)])
                var count = 0
                while count < frameBytes {
                    let got = try read(UnsafeMutableRawBufferPointer(rebasing: lane[count...]))
                    if got == 0 {
                        ended = true
                        break
                    }
                    count += got
                }
                // Empty input is still one (empty) frame: a body is never zero bytes.
                guard count > 0 || frames + filled == 0 else { break }
                counts[filled] = count
                filled += 1
            }
            let shared = Shared((inputs, outputs, counts, written))
            DispatchQueue.concurrentPerform(iterations: filled) { lane in
                let (inputs, outputs, counts, written) = shared.value
                written[lane] = compressFrame(UnsafeRawBufferPointer(rebasing: inputs[(lane * frameBytes)..<(lane * frameBytes + counts[lane])]),
                                              into: UnsafeMutableRawBufferPointer(rebasing: outputs[(lane * bound)..<((lane + 1) * bound)]))
            }
            for lane in 0..<filled {
                guard ZSTD_isError(written[lane]) == 0 else { throw zstdError(written[lane]) }
                try write(UnsafeRawBufferPointer(rebasing: outputs[(lane * bound)..<(lane * bound + written[lane])]))
            }
            frames += filled
        }
    }

    /// What the jobs of one `DispatchQueue.concurrentPerform` share: buffers each job writes
    /// only its own part of, and a closure one job runs. They outlive the jobs, which have all
    /// ended when `concurrentPerform` returns.
    private struct Shared<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// One frame, its expanded size and checksum in its header: the bytes written, or a zstd
    /// error code. (Like any Swift allocation, a context that cannot be allocated stops the
    /// program.)
    private static func compressFrame(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        guard let context = ZSTD_createCCtx() else { preconditionFailure("zstd could not allocate a context") }
        defer { ZSTD_freeCCtx(context) }
        for (parameter, value) in [(ZSTD_c_compressionLevel, zstdLevel), (ZSTD_c_checksumFlag, 1)] {
            let result = ZSTD_CCtx_setParameter(context, parameter, value)
            guard ZSTD_isError(result) == 0 else { return result }
        }
        return ZSTD_compress2(context, output.baseAddress, output.count, input.baseAddress, input.count)
    }

    /// The least a frame holds, on average, for `zstdExpand` to expand a body's frames in
    /// parallel: the frame list it keeps is at most one entry per this many expanded bytes.
    package static let zstdFrameFloor = 64 << 10

    /// Expands the zstd frames in `input` into `output`, which they must fill exactly: a
    /// snapshot body whose size its header gives. When every frame says how much it expands to
    /// (as `zstdCompressStream` writes them), they are expanded on every core at once, each
    /// into its own part of `output`; else in one call. `alongside` runs meanwhile, on another
    /// core where there is one (a checksum of `input`, say). Fewer bytes than `output` holds,
    /// more, or no zstd is `Failure.corrupt`.
    package static func zstdExpand(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                                   alongside: @escaping () -> Void = {}) throws {
        // Where each frame lies in `input`, and where its bytes go in `output`. A writer's frames
        // are megabytes each; a body of more than one frame per `zstdFrameFloor` expanded bytes
        // (millions of empty frames, say) is expanded in one call, so a hostile body cannot make
        // this list as long as it is.
        let most = output.count / zstdFrameFloor + 1
        var frames: [(input: Range<Int>, output: Range<Int>)] = []
        var read = 0, expanded = 0
        while read < input.count, frames.count < most, let base = input.baseAddress {
            let size = ZSTD_findFrameCompressedSize(base + read, input.count - read)
            let content = ZSTD_getFrameContentSize(base + read, input.count - read)
            guard ZSTD_isError(size) == 0, content != ZSTD_CONTENTSIZE_ERROR, content != ZSTD_CONTENTSIZE_UNKNOWN,
                  content <= UInt64(output.count - expanded) else {
                frames = []
                break
            }
            frames.append((read..<(read + size), expanded..<(expanded + Int(content))))
            read += size
            expanded += Int(content)
        }
        guard !frames.isEmpty, read == input.count, expanded == output.count else {
            // One frame of unknown size (an older writer's stream), or not zstd at all.
            alongside()
            guard let context = ZSTD_createDCtx() else { preconditionFailure("zstd could not allocate a context") }
            defer { ZSTD_freeDCtx(context) }
            let written = ZSTD_decompressDCtx(context, output.baseAddress, output.count, input.baseAddress, input.count)
            guard ZSTD_isError(written) == 0, written == output.count else { throw Failure.corrupt }
            return
        }
        let expansion = FrameExpansion(input: input, output: output, frames: frames, alongside: alongside)
        // Job 0 is `alongside`; job n expands frame n - 1.
        DispatchQueue.concurrentPerform(iterations: frames.count + 1) { job in expansion.run(job) }
        guard expansion.whole.allSatisfy({ $0 }) else { throw Failure.corrupt }
    }

    /// The jobs of one parallel `zstdExpand`. Each job writes only its own frame's part of
    /// `output` and its own flag, and all have ended when `concurrentPerform` returns, which
    /// the buffers outlive: hence unchecked.
    private final class FrameExpansion: @unchecked Sendable {
        let input: UnsafeRawBufferPointer
        let output: UnsafeMutableRawBufferPointer
        let frames: [(input: Range<Int>, output: Range<Int>)]
        let alongside: () -> Void
        /// Per frame, whether it expanded to exactly its part.
        let whole: UnsafeMutableBufferPointer<Bool>

        init(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer,
             frames: [(input: Range<Int>, output: Range<Int>)], alongside: @escaping () -> Void) {
            self.input = input
            self.output = output
            self.frames = frames
            self.alongside = alongside
            whole = .allocate(capacity: frames.count)
            whole.initialize(repeating: false)
        }

        deinit { whole.deallocate() }

        func run(_ job: Int) {
            guard job > 0 else {
                alongside()
                return
            }
            let frame = frames[job - 1]
            guard let context = ZSTD_createDCtx() else { preconditionFailure("zstd could not allocate a context") }
            defer { ZSTD_freeDCtx(context) }
            let written = ZSTD_decompressDCtx(context, output.baseAddress! + frame.output.lowerBound, frame.output.count,
                                              input.baseAddress! + frame.input.lowerBound, frame.input.count)
            whole[job - 1] = ZSTD_isError(written) == 0 && written == frame.output.count
        }
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
