import Foundation

/// `fulcrum-bench`: the processes of the end-to-end benchmark other than the system under test.
///
/// ```
/// fulcrum-bench load --endpoint tcp://127.0.0.1:7600 --encoding protobuf --ticks 2000000 --rate 0 \
///     --summary load.json --side-table closing.bin
/// fulcrum-bench sink --endpoint tcp://127.0.0.1:7601 --mode updates --load-summary load.json \
///     --side-table closing.bin
/// ```
/// `scripts/bench.sh` starts them around each system under test and reads what they print (one JSON object).
@main
enum FulcrumBench {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first else { usage() }
        arguments.removeFirst()
        do {
            let options = try BenchArguments(arguments)
            switch command {
            case "load":
                var generator = try LoadGenerator(options: options)
                try generator.run()
            case "sink":
                var sink = try UpdateSink(options: options)
                try sink.run()
            default:
                usage()
            }
        } catch {
            FileHandle.standardError.write(Data("fulcrum-bench \(command): \(error)\n".utf8))
            exit(1)
        }
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("""
            usage: fulcrum-bench load --endpoint E [--encoding protobuf|cryptofeed] [--symbols 100]
                                      [--ticks N] [--rate TICKS_PER_S (0: as fast as possible)]
                                      [--ticks-per-event-second 5000] [--warmup-seconds 3]
                                      --summary FILE --side-table FILE
                   fulcrum-bench sink --endpoint E --mode updates|count --load-summary FILE
                                      [--side-table FILE] [--timeout-seconds 120]

            """.utf8))
        exit(2)
    }
}
