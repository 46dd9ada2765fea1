import Foundation

/// Forecast accuracy on a holdout: MAPE and sMAPE in %, and MASE scaled by the in-sample
/// seasonal-naive error (naive when the series is shorter than two seasons).
public struct ForecastAccuracy: Sendable, Equatable {
    public let mape: Double?
    public let smape: Double?
    public let mase: Double?

    public static func measure(actual: [Double], forecast: [Double], training: [Double], period m: Int) -> ForecastAccuracy {
        let n = min(actual.count, forecast.count)
        var ape = [Double](), sape = [Double](), ae = [Double]()
        for i in 0..<n {
            let e = actual[i] - forecast[i]
            ae.append(abs(e))
            if actual[i] != 0 { ape.append(abs(e / actual[i]) * 100) }
            let d = abs(actual[i]) + abs(forecast[i])
            if d != 0 { sape.append(2 * abs(e) / d * 100) }
        }
        let lag = m > 1 && training.count > 2 * m ? m : 1
        var scale = 0.0
        if training.count > lag {
            for t in lag..<training.count { scale += abs(training[t] - training[t - lag]) }
            scale /= Double(training.count - lag)
        }
        func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }
        return ForecastAccuracy(mape: mean(ape), smape: mean(sape), mase: scale == 0 ? nil : mean(ae).map { $0 / scale })
    }
}

/// A monthly series forecast: the automatic ETS model, or a simple fallback for series too
/// short to fit one (the mean for fewer than 4 points).
public struct SeriesForecast: Sendable {
    public let modelName: String
    public let mean: [Double]
    public let lo80: [Double], hi80: [Double], lo95: [Double], hi95: [Double]

    public static func make(_ y: [Double], horizon h: Int, period m: Int = 12) -> SeriesForecast {
        if y.count >= 4, let fit = ETS.auto(y, period: m) {
            let f = ETS.forecast(fit, horizon: h)
            return SeriesForecast(modelName: fit.model.description, mean: f.mean, lo80: f.lo80, hi80: f.hi80, lo95: f.lo95, hi95: f.hi95)
        }
        // Too short: the mean, with the spread of the data as its uncertainty.
        let mu = y.isEmpty ? 0 : y.reduce(0, +) / Double(y.count)
        let sd = y.count > 1 ? (y.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(y.count - 1)).squareRoot() : 0
        let flat = [Double](repeating: mu, count: h)
        return SeriesForecast(modelName: "mean", mean: flat, lo80: flat.map { $0 - 1.2816 * sd }, hi80: flat.map { $0 + 1.2816 * sd },
                              lo95: flat.map { $0 - 1.96 * sd }, hi95: flat.map { $0 + 1.96 * sd })
    }
}
