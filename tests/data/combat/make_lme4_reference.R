# Reference values of the over-harmonization guard (core/combat/MixedModel, GuardStatistics).
#
# Builds small made-up data sets deterministically, fits y ~ label [+ age] + (1 | site) by REML
# with lme4 and writes, with 17 significant digits:
#   lme4_data.csv                 the data themselves (dataset, site, label, age, y)
#   lme4_reference.csv            dataset, source, quantity, term, value
#   incomplete_beta_reference.csv x, a, b, pbeta(x, a, b), and pf upper tails
#
# Sources of the rows of lme4_reference.csv:
#   "optimum": the REML deviance of lme4 (mkLmerDevfun) minimised over theta by optimize() to
#              tol 1e-14 and the model built from it with mkMerMod (lme4's "modular" route, see
#              ?modular), so the reference is not limited by the default optimizer's tolerance;
#   "lmer":    a plain lmer() fit with default control (for comparison);
#   "stats":   oneway.test(y ~ site, var.equal = TRUE), ks.test() per site pair, and the Fisher
#              ratio of the label computed by its definition (see HarmonizationReport.h).
#
# Run from this folder: Rscript make_lme4_reference.R   (R 4.2.2, lme4 1.1-31 made the files)

suppressMessages(library(lme4))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

fmt <- function(x) sprintf("%.17g", x)

make_A <- function() {
  # Four unbalanced sites, a binary label, one numeric covariate; clear site effect.
  set.seed(1)
  d <- data.frame(site = rep(c("A", "B", "C", "D"), c(8, 10, 12, 9)))
  n <- nrow(d)
  d$label <- rbinom(n, 1, 0.5)
  d$age <- round(rnorm(n, 50, 10), 1)
  d$y <- 3 + 1.2 * d$label + 0.05 * d$age + c(A = -1, B = 0.5, C = 0.2, D = 1)[d$site] + rnorm(n)
  d
}

make_B <- function() {
  # Three sites without a site effect: the first seed whose REML fit is singular (theta = 0).
  for (seed in 1:100) {
    set.seed(seed)
    d <- data.frame(site = rep(c("S1", "S2", "S3"), c(9, 11, 10)))
    n <- nrow(d)
    d$label <- rep(c(0, 1), length.out = n)
    d$age <- round(rnorm(n, 60, 8), 1)
    d$y <- 10 - 0.8 * d$label + 0.02 * d$age + rnorm(n, 0, 0.5)
    m <- lmer(y ~ label + age + (1 | site), d, REML = TRUE)
    if (getME(m, "theta") == 0) return(d)
  }
  stop("no singular data set found")
}

make_C <- function() {
  # Three sites, a three-level categorical label, no covariate.
  set.seed(3)
  d <- data.frame(site = rep(c("s1", "s2", "s3"), c(10, 11, 12)))
  n <- nrow(d)
  d$label <- rep(c("ctl", "mci", "ad"), length.out = n)
  d$age <- NA
  d$y <- 100 + c(ctl = 0, mci = -3, ad = -7)[d$label] + c(s1 = 4, s2 = -2, s3 = 0)[d$site] +
    rnorm(n, 0, 2)
  d
}

sets <- list(A = list(data = make_A(), formula = y ~ label + age + (1 | site)),
             B = list(data = make_B(), formula = y ~ label + age + (1 | site)),
             C = list(data = make_C(), formula = y ~ label + (1 | site)))

rows <- list()
add <- function(dataset, source, quantity, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(dataset = dataset, source = source, quantity = quantity,
                                          term = term, value = fmt(value))
}

model_rows <- function(name, source, m) {
  b <- fixef(m)
  se <- sqrt(diag(as.matrix(vcov(m))))
  ci <- confint(m, method = "Wald", parm = "beta_")
  vc <- as.data.frame(VarCorr(m))
  for (t in names(b)) {
    add(name, source, "beta", t, b[[t]])
    add(name, source, "se", t, se[[t]])
    add(name, source, "ci_lower", t, ci[t, 1])
    add(name, source, "ci_upper", t, ci[t, 2])
  }
  add(name, source, "theta", "site", getME(m, "theta")[[1]])
  add(name, source, "var_site", "site", vc$vcov[vc$grp == "site"])
  add(name, source, "var_residual", "", vc$vcov[vc$grp == "Residual"])
  add(name, source, "reml_criterion", "", REMLcrit(m))
}

fisher_ratio <- function(y, label) {
  # Variance of the class means over the mean of the class variances (unbiased, unweighted);
  # for two classes (mu1 - mu2)^2 / (s1^2 + s2^2).
  means <- tapply(y, label, mean)
  vars <- tapply(y, label, var)
  var(means) / mean(vars)
}

for (name in names(sets)) {
  d <- sets[[name]]$data
  f <- sets[[name]]$formula
  if (name == "C") d$label <- factor(d$label)
  d$site <- factor(d$site)
  lmod <- lFormula(f, d, REML = TRUE)
  devfun <- do.call(mkLmerDevfun, lmod)
  o <- optimize(devfun, c(0, 50), tol = 1e-14)
  # The deviance is flat in theta^2 near 0: a singular fit's optimum is theta = 0 exactly (as
  # lmer reports it), which optimize() only approaches to ~1e-8.
  theta <- if (devfun(0) <= o$objective + 1e-9) 0 else o$minimum
  opt <- list(par = theta, fval = devfun(theta), conv = 0, feval = NA, message = "optimize")
  m <- mkMerMod(environment(devfun), opt, lmod$reTrms, fr = lmod$fr)
  model_rows(name, "optimum", m)
  model_rows(name, "lmer", lmer(f, d, REML = TRUE))

  a <- oneway.test(y ~ site, d, var.equal = TRUE)
  add(name, "stats", "anova_F", "site", a$statistic[[1]])
  add(name, "stats", "anova_p", "site", a$p.value)
  levs <- levels(d$site)
  for (i in seq_along(levs)) for (j in seq_along(levs)) if (i < j) {
    k <- suppressWarnings(ks.test(d$y[d$site == levs[i]], d$y[d$site == levs[j]]))
    add(name, "stats", "ks_D", paste0(levs[i], "|", levs[j]), k$statistic[[1]])
  }
  add(name, "stats", "fisher", "label", fisher_ratio(d$y, d$label))
}

ref <- do.call(rbind, rows)
write.csv(ref, "lme4_reference.csv", row.names = FALSE, quote = FALSE)

data_rows <- do.call(rbind, lapply(names(sets), function(name) {
  d <- sets[[name]]$data
  data.frame(dataset = name, site = d$site, label = d$label,
             age = ifelse(is.na(d$age), "NA", fmt(d$age)), y = fmt(d$y))
}))
write.csv(data_rows, "lme4_data.csv", row.names = FALSE, quote = FALSE)

# Regularized incomplete beta I_x(a, b) = pbeta(x, a, b) and the F upper tail used for the
# ANOVA p-value, over small, large, symmetric and skewed parameters.
grid <- expand.grid(x = c(1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.9999),
                    a = c(0.1, 0.5, 1, 2.5, 10, 150),
                    b = c(0.2, 0.5, 1, 3.5, 40, 500))
grid$value <- pbeta(grid$x, grid$a, grid$b)
fgrid <- data.frame(F = c(0.01, 0.5, 1, 2.7, 8, 30, 150), d1 = c(1, 2, 3, 5, 9, 2, 4),
                    d2 = c(10, 27, 5, 100, 40, 3, 996))
fgrid$value <- pf(fgrid$F, fgrid$d1, fgrid$d2, lower.tail = FALSE)
out <- rbind(data.frame(kind = "pbeta", p1 = fmt(grid$x), p2 = fmt(grid$a), p3 = fmt(grid$b),
                        value = fmt(grid$value)),
             data.frame(kind = "pf_upper", p1 = fmt(fgrid$F), p2 = fmt(fgrid$d1),
                        p3 = fmt(fgrid$d2), value = fmt(fgrid$value)))
write.csv(out, "incomplete_beta_reference.csv", row.names = FALSE, quote = FALSE)
