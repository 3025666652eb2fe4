/// The median of the first `count` values of a scratch buffer, sorting them in place (insertion sort: the counts
/// are venues, a handful); the mean of the two middle values for an even count, NaN for none.
enum Median {
    static func ofFirst(_ count: Int, in values: inout [Double]) -> Double {
        guard count > 0 else { return .nan }
        if count > 1 {
            for i in 1..<count {
                let value = values[i]
                var j = i - 1
                while j >= 0 && values[j] > value {
                    values[j + 1] = values[j]
                    j -= 1
                }
                values[j + 1] = value
            }
        }
        return count % 2 == 1 ? values[count / 2] : values[count / 2 - 1] * 0.5 + values[count / 2] * 0.5
    }
}
