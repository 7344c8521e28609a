# Record fitdistrplus::descdist's statistics of bundled data sets as a test fixture.
# Run: Rscript tests/report/record_descdist.R > tests/report/descdist.json
suppressMessages(library(fitdistrplus))
num <- function(x) sprintf("%.17g", x)
one <- function(name, x, discrete) {
  d <- descdist(x, discrete = discrete, graph = FALSE)
  sprintf(paste0('  "%s": {"call": "descdist(%s, discrete = %s, graph = FALSE)", "n": %d, ',
                 '"min": %s, "max": %s, "median": %s, "mean": %s, "sd": %s, ',
                 '"skewness": %s, "kurtosis": %s, "method": "%s"}'),
          name, name, discrete, length(x), num(d$min), num(d$max), num(d$median), num(d$mean),
          num(d$sd), num(d$skewness), num(d$kurtosis), d$method)
}
data(groundbeef)
counts <- read.csv("data/counts.csv")$x
out <- c(one("groundbeef$serving", groundbeef$serving, FALSE), one("counts", counts, TRUE))
cat(sprintf('{"provenance": "R %s, fitdistrplus %s; recorded by tests/report/record_descdist.R",\n',
            paste(R.version$major, R.version$minor, sep = "."), packageVersion("fitdistrplus")))
cat(' "cases": {\n', paste(out, collapse = ",\n"), '\n }\n}\n', sep = "")
