/// Stops the fuzzer with a message when an invariant does not hold: libFuzzer reports the trap as a crash and
/// saves the input that caused it.
public func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}
