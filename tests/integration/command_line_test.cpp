// Every mwp program's command line as an operator meets it, run as the real binaries: --help and
// -h print the usage on stdout and exit 0; an unknown option, a bad value or a missing operand is
// named on stderr and exits 64 (EX_USAGE) before anything is done.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "test_env.h"

namespace mwp {
namespace {

struct Run {
  int exitCode = -1;
  std::string out, err;
};

std::string readAll(const std::string& path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

// `words` go to the shell as they are: no quoting needed by the cases below. A program that
// took its command line for a go-ahead and started serving is stopped after 10 s (exit 124).
Run run(const std::string& binary, const std::string& words) {
  std::string errPath = testing::TempDir() + "command_line_stderr.txt";
  std::string command = "timeout 10 " + binary + " " + words + " 2>" + errPath + " </dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  Run r;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) r.out.append(buffer, n);
  int status = pclose(pipe);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = readAll(errPath);
  return r;
}

// A program as its messages name it, and how it is started.
struct Program {
  std::string name;    // "mwpctl publish"
  std::string binary;  // with the words before the options: "…/mwpctl publish"
};

std::vector<Program> everyProgram() {
  std::string ctl = MWP_CTL_BINARY;
  std::vector<Program> all = {
      {"mwpctl publish", ctl + " publish"},
      {"mwpctl import", ctl + " import"},
      {"mwpctl tail", ctl + " tail"},
      {"mwpctl catalogue", ctl + " catalogue"},
      {"mwpctl simulate", ctl + " simulate"},
      {"mwpctl measures", ctl + " measures"},
      {"mwpctl scorecard", ctl + " scorecard"},
      {"mwpctl worklist", ctl + " worklist"},
      {"mwpctl keygen curve", ctl + " keygen curve"},
      {"mwpctl keygen api", ctl + " keygen api"},
      {"mwp-chaos", MWP_CHAOS_BINARY},
      {"mwp-bench-ingest", MWP_BENCH_INGEST_BINARY},
      {"mwp-bench-raw-ingest", MWP_BENCH_RAW_INGEST_BINARY},
      {"mwp-bench-nats", MWP_BENCH_NATS_BINARY},
      {"mwp-bench-system", MWP_BENCH_SYSTEM_BINARY},
      {"mwp-bench-failover", MWP_BENCH_FAILOVER_BINARY},
      {"mwp-bench-bare-http", MWP_BENCH_BARE_HTTP_BINARY},
      {"mwp-bus", MWP_BUS_BINARY},
      {"mwp-gateway", MWP_GATEWAY_BINARY},
      {"mwp-employment", MWP_EMPLOYMENT_BINARY},
      {"mwp-housing", MWP_HOUSING_BINARY},
      {"mwp-education", MWP_EDUCATION_BINARY},
      {"mwp-health", MWP_HEALTH_BINARY},
      {"mwp-rights", MWP_RIGHTS_BINARY},
      {"mwp-outreach", MWP_OUTREACH_BINARY},
  };
  return all;
}

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

TEST(CommandLine, EveryProgramAnswersHelpWithItsUsageAndExitsZero) {
  for (const auto& p : everyProgram()) {
    for (const char* help : {"--help", "-h"}) {
      auto r = run(p.binary, help);
      EXPECT_EQ(r.exitCode, 0) << p.name << " " << help << ": " << r.err;
      EXPECT_TRUE(startsWith(r.out, "usage: " + p.name)) << p.name << " " << help << ":\n" << r.out;
      EXPECT_NE(r.out.find("-h, --help"), std::string::npos) << p.name;
      EXPECT_EQ(r.err, "") << p.name << " " << help;
    }
  }
}

TEST(CommandLine, MwpctlAloneListsItsCommands) {
  auto help = run(MWP_CTL_BINARY, "--help");
  EXPECT_EQ(help.exitCode, 0);
  for (const auto& p : everyProgram()) {
    if (!startsWith(p.name, "mwpctl ")) continue;
    EXPECT_NE(help.out.find("  " + p.name + " "), std::string::npos) << p.name;
  }
  auto none = run(MWP_CTL_BINARY, "");
  EXPECT_EQ(none.exitCode, 64);
  EXPECT_TRUE(startsWith(none.err, "mwpctl: a COMMAND is needed\n")) << none.err;
  auto unknown = run(MWP_CTL_BINARY, "frobnicate");
  EXPECT_EQ(unknown.exitCode, 64);
  EXPECT_TRUE(startsWith(unknown.err, "mwpctl: frobnicate: unknown command\n")) << unknown.err;
}

TEST(CommandLine, AnUnknownOptionIsNamedAndExits64BeforeAnythingIsDone) {
  for (const auto& p : everyProgram()) {
    auto r = run(p.binary, "--no-such-option");
    EXPECT_EQ(r.exitCode, 64) << p.name << ": " << r.err;
    EXPECT_TRUE(startsWith(r.err, p.name + ": --no-such-option: unknown option\n"))
        << p.name << ":\n"
        << r.err;
    EXPECT_EQ(r.out, "") << p.name;
  }
}

TEST(CommandLine, ABadValueOrOperandIsNamedAndExits64) {
  struct Case {
    std::string binary, words, firstLine;
  };
  std::string ctl = MWP_CTL_BINARY;
  std::vector<Case> cases = {
      {MWP_CHAOS_BINARY, "--events 20k", "mwp-chaos: --events: not a whole number: \"20k\""},
      {MWP_CHAOS_BINARY, "--rate fast", "mwp-chaos: --rate: not a number: \"fast\""},
      {MWP_CHAOS_BINARY, "--pause-seconds 99999999999",
       "mwp-chaos: --pause-seconds: \"99999999999\" is too large (at most 2147483647)"},
      {MWP_CHAOS_BINARY, "--seed", "mwp-chaos: --seed: needs a value (S)"},
      {MWP_BENCH_SYSTEM_BINARY, "--events -5",
       "mwp-bench-system: --events: not a whole number: \"-5\""},
      {MWP_BENCH_FAILOVER_BINARY, "--failovers two",
       "mwp-bench-failover: --failovers: not a whole number: \"two\""},
      {MWP_CHAOS_BINARY, "--ha --ack-replicas x",
       "mwp-chaos: --ack-replicas: not a whole number: \"x\""},
      {MWP_BENCH_INGEST_BINARY, "", "mwp-bench-ingest: FIXTURE: missing"},
      {MWP_BENCH_RAW_INGEST_BINARY, "f.ndjson --window 8",
       "mwp-bench-raw-ingest: --window: unknown option"},
      {MWP_BENCH_NATS_BINARY, "f.ndjson --runs five",
       "mwp-bench-nats: --runs: not a whole number: \"five\""},
      {MWP_BENCH_BARE_HTTP_BINARY, "99999 body.json",
       "mwp-bench-bare-http: PORT: \"99999\" is too large (at most 65535)"},
      {MWP_BENCH_BARE_HTTP_BINARY, "8080 body.json extra",
       "mwp-bench-bare-http: \"extra\": unexpected argument"},
      {ctl, "publish --timeout 2s", "mwpctl publish: --timeout: not a whole number: \"2s\""},
      {ctl, "tail --partition x", "mwpctl tail: --partition: not a whole number: \"x\""},
      {ctl, "measures --gateway localhost",
       "mwpctl measures: --gateway: not an http://HOST:PORT address: \"localhost\""},
      {ctl, "scorecard --period 2026-Q5",
       "mwpctl scorecard: --period: not a quarter YYYY-Qn or a 春运 window YYYY-spring: "
       "\"2026-Q5\""},
      {ctl, "simulate --year 20x6", "mwpctl simulate: --year: not a whole number: \"20x6\""},
      {ctl, "worklist", "mwpctl worklist: NAME: missing"},
      {ctl, "keygen api clerk wizard", "mwpctl keygen api: ROLE: not a role: \"wizard\""},
      {ctl, "keygen curve clerk", "mwpctl keygen curve: DIR: missing"},
      {ctl, "keygen ssh", "mwpctl: ssh: not curve or api"},
  };
  for (const auto& c : cases) {
    auto r = run(c.binary, c.words);
    EXPECT_EQ(r.exitCode, 64) << c.words << ": " << r.err;
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')), c.firstLine) << c.words;
    EXPECT_EQ(r.out, "") << c.words;
  }
}

TEST(CommandLine, AServerReadsPrintConfigStill) {
  auto r = run(MWP_BUS_BINARY, "--print-config");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("MWP_BUS_INGEST_BIND"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace mwp
