#include "simulate.h"

#include <algorithm>
#include <array>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "catalogue.h"
#include "ids.h"
#include "log.h"
#include "periods.h"

namespace mwp::simulate {
namespace {

constexpr const char* kEmployers[] = {"91512081MA62K0260E"};
constexpr const char* kElsewhere[] = {"440305", "440306", "320583", "330106", "500112"};

class Generator {
 public:
  explicit Generator(const Options& o) : o_(o), rng_(o.seed), coverageRng_(o.seed ^ 0x636f76) {
    for (const auto& a : Catalogue::builtIn().reportingAreas()) areas_.push_back(a);
    counties_ = {"510703", "510704", "510705", "510722", "510723",
                 "510725", "510726", "510727", "510781"};
    first_ = *parseDate(std::to_string(o.year) + "-01-01");
    // The whole year is drawn whatever the date, and what lies after now is left out (add()): an
    // eventId then names the same event in every run, so a demo run again later is taken as
    // re-sent, not as a different event under a used id.
    last_ = *parseDate(std::to_string(o.year) + "-12-31");
    for (auto m : Catalogue::builtIn().data().getMeasures()) {
      for (auto kind : m.getKinds()) measuresOf_[kind.cStr()].push_back(m.getNumber());
    }
  }

  std::vector<std::string> run() {
    for (uint32_t w = 0; w < o_.workers; ++w) worker(w);
    for (const auto& area : areas_) areaActivities(area);
    // A few hundred building sites in the city's demo (one for every 100 workers, at least 12 so
    // that a small demo still shows every kind of warning).
    for (uint32_t p = 0, n = std::max<uint32_t>(12, o_.workers / 100); p < n; ++p) project(p);
    // Drawn last and from a stream of their own, so that the events above (and their ids) are
    // the same for a seed as before the coverage populations were simulated.
    std::swap(rng_, coverageRng_);
    for (const auto& w : workers_) coverage(w);
    for (const auto& county : counties_) rentalCompleted(county);
    std::swap(rng_, coverageRng_);
    // After every other event, so that an area says nothingToReport only of what it had nothing on.
    accountability();
    std::stable_sort(events_.begin(), events_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    out.reserve(events_.size());
    for (auto& e : events_) out.push_back(std::move(e.second));
    return out;
  }

 private:
  bool chance(double p) { return std::uniform_real_distribution<>(0, 1)(rng_) < p; }
  int between(int lo, int hi) { return std::uniform_int_distribution<>(lo, hi)(rng_); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[between(0, static_cast<int>(v.size()) - 1)];
  }
  int32_t day() { return between(first_, last_); }
  int32_t after(int32_t d, int lo, int hi) { return plus(d, between(lo, hi)); }
  // `days` later, without a draw: the events it adds leave the rest of the year as it was.
  int32_t plus(int32_t d, int days) { return std::min(last_, d + days); }
  static std::string date(int32_t d) { return formatDate(d); }
  // Parks have no GB/T 2260 code: a payload's area code names the county the park lies in.
  static std::string countyOf(const std::string& area) {
    return area.size() == 6 ? area : "510703";
  }

  std::string residentId(const std::string& area, int32_t birth, bool male) {
    static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    std::string born = formatDate(birth);
    std::string body = area + born.substr(0, 4) + born.substr(5, 2) + born.substr(8, 2) +
                       std::to_string(between(10, 99)) +
                       std::to_string(between(0, 4) * 2 + (male ? 1 : 0));
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
    return body + "10X98765432"[sum % 11];
  }

  // Adds one event; `payload` is the kind's JSON object.
  void add(int32_t on, const std::string& kind, const std::string& payload,
           const std::string& source, const std::string& area, const std::string& worker = "") {
    // The size is part of the id: the same seed at another size is another simulation.
    std::string id = "sim-" + std::to_string(o_.seed) + "-" + std::to_string(o_.workers) + "-" +
                     std::to_string(++count_);
    // Reported the next day at 10:00 Beijing time; not yet, if that is after now (the last day
    // whose 10:00 has passed is the Beijing day of ten hours ago).
    int32_t reported = on + 1;
    if (reported > chinaDayOf(o_.now - 10 * 3600)) return;
    // 平武县's office is silent in Q3: what it holds then, not its reports of Q2 sent in July.
    if (area == kSilentArea && worker.empty() && kind != "periodReported" &&
        silentQuarter().contains(on)) {
      return;
    }
    noteReport(kind, payload, area, on);
    std::string json = "{\"eventId\":\"" + id + "\",\"occurredAt\":\"" + date(reported) +
                       "T10:00:00+08:00\",\"source\":\"" + source + "\",\"area\":\"" + area + "\",";
    if (!worker.empty()) json += "\"workerId\":\"" + worker + "\",";
    events_.emplace_back(reported, json + "\"" + kind + "\":" + payload + "}");
  }

  void worker(uint32_t n) {
    bool local = chance(0.8);
    std::string hukou = local ? pick(counties_) : kElsewhere[between(0, 4)];
    bool male = chance(0.62);
    int32_t birth = between(*parseDate("1966-01-01"), *parseDate("2004-12-31"));
    std::string id = residentId(hukou, birth, male);
    std::string area = chance(0.85) ? pick(counties_) : pick(areas_);
    std::string employer = kEmployers[0];
    int32_t registered = day();
    std::string name = std::string("农民工") + std::to_string(n);
    if (chance(0.004)) {  // a clerk's typo in the ID: the bus refuses it
      std::string bad = id;
      bad[17] = bad[17] == '0' ? '1' : '0';
      add(registered, "workerRegistered", profile(name, male, hukou, area, registered), "hrss",
          area, bad);
      return;
    }
    add(registered, "workerRegistered", profile(name, male, hukou, area, registered), "hrss", area,
        id);
    registeredWorkers_.push_back(id);
    workers_.push_back({id, hukou, area, registered, false});
    if (chance(0.3)) {
      int32_t on = after(registered, 20, 200);
      add(on, "workerUpdated",
          "{\"currentArea\":\"" + (chance(0.5) ? countyOf(area) : std::string("440300")) +
              "\",\"currentCity\":\"绵阳\",\"employed\":true,\"updatedOn\":\"" + date(on) + "\"}",
          "hrss", area, id);
    }
    if (chance(0.25)) {
      static const std::vector<std::string> programmes{"labourBrand", "ruralYouth", "ecommerce",
                                                       "directed",    "postBased",  "orderBased"};
      int32_t on = after(registered, 5, 120);
      add(on, "trainingCompleted",
          "{\"programme\":\"" + pick(programmes) +
              "\",\"hours\":" + std::to_string(between(16, 120)) +
              ",\"provider\":\"绵阳职业技术学院\",\"completedOn\":\"" + date(on) + "\"}",
          "hrss", area, id);
      if (chance(0.45)) {
        static const std::vector<std::string> levels{"junior",       "junior", "intermediate",
                                                     "intermediate", "senior", "technician"};
        static const std::vector<std::string> jobs{"焊工", "电工", "家政服务员", "中式烹调师",
                                                   "羌绣工"};
        int32_t issued = after(on, 5, 40);
        add(issued, "skillCertified",
            "{\"certificateNo\":\"C-" + std::to_string(o_.seed) + "-" + std::to_string(n) +
                "\",\"occupation\":\"" + pick(jobs) + "\",\"level\":\"" + pick(levels) +
                "\",\"issuedOn\":\"" + date(issued) +
                "\",\"insuredMonths\":" + std::to_string(between(0, 60)) + "}",
            "hrss", area, id);
        if (chance(0.7)) {
          int32_t mailed = after(issued, 2, 15);
          add(mailed, "certificateMailed",
              "{\"certificateNo\":\"C-" + std::to_string(o_.seed) + "-" + std::to_string(n) +
                  "\",\"trackingNo\":\"SF" + std::to_string(n) + "\",\"mailedOn\":\"" +
                  date(mailed) + "\"}",
              "hrss", area, id);
        }
      }
    }
    if (chance(0.06)) {
      int32_t on = after(registered, 1, 60);
      add(on, "employmentRegistered",
          std::string("{\"employerCode\":\"") + employer + "\",\"startedOn\":\"" + date(on) +
              "\",\"registeredPoor\":" + (chance(0.2) ? "true" : "false") + "}",
          "hrss", area, id);
    }
    if (chance(0.02)) {
      int32_t on = after(registered, 1, 60);
      add(on, "unemploymentRegistered",
          "{\"residentSince\":\"" + date(on - between(90, 900)) + "\",\"registeredOn\":\"" +
              date(on) + "\"}",
          "hrss", area, id);
    }
    if (chance(0.04)) {
      int32_t on = after(registered, 1, 90);
      add(on, "socialSecurityCardIssued", "{\"issuedOn\":\"" + date(on) + "\"}", "hrss", area, id);
      workers_.back().hasCard = true;
    }
    if (chance(0.01)) {
      int32_t on = after(registered, 10, 60);
      std::string app = "L-" + std::to_string(o_.seed) + "-" + std::to_string(n);
      bool eligible = chance(0.85);
      add(on, "guaranteeLoanApplied",
          "{\"applicationNo\":\"" + app +
              "\",\"amountYuan\":" + std::to_string(between(5, 30) * 10000) + ",\"eligible\":" +
              (eligible ? "true" : "false") + ",\"appliedOn\":\"" + date(on) + "\"}",
          "hrss", area, id);
      if (chance(0.9)) {
        int32_t decided = after(on, 5, 30);
        bool approved = eligible ? chance(0.95) : chance(0.1);
        add(decided, "guaranteeLoanDecided",
            "{\"applicationNo\":\"" + app + "\",\"approved\":" + (approved ? "true" : "false") +
                ",\"amountYuan\":100000,\"decidedOn\":\"" + date(decided) + "\"}",
            "hrss", area, id);
      }
    }
    if (chance(0.02)) {
      int32_t on = after(registered, 5, 60);
      add(on, "rentSubsidyGranted",
          "{\"monthlyYuan\":" + std::to_string(between(2, 6) * 100) +
              ",\"months\":12,\"grantedOn\":\"" + date(on) + "\"}",
          "housing", area, id);
    }
    // A unit of the estate the worker's county completes this year (measure 11's share).
    if (chance(0.01)) {
      int32_t on = after(registered, 5, 60);
      add(on, "publicRentalAllocated",
          "{\"unitId\":\"U-" + std::to_string(n) + "\",\"estate\":\"公租房" + countyOf(area) +
              "\",\"areaSqm\":42.5,\"monthlyRentYuan\":380,"
              "\"leaseStart\":\"" +
              date(on) + "\",\"leaseEnd\":\"" + date(on + 1095) + "\"}",
          "housing", area, id);
    }
    if (chance(0.015) && formatDate(birth) < "1996") {  // old enough for a school-age child
      int32_t childBirth = between(*parseDate(std::to_string(o_.year - 12) + "-09-02"),
                                   *parseDate(std::to_string(o_.year - 6) + "-09-01"));
      std::string child = residentId(countyOf(area), childBirth, chance(0.5));
      int32_t on = after(registered, 1, 60);
      std::string residence = countyOf(area);
      add(on, "schoolPlacementRequested",
          "{\"childId\":\"" + child + "\",\"childName\":\"随迁子女" + std::to_string(n) +
              "\",\"stage\":\"primary\",\"residenceArea\":\"" + residence +
              "\",\"requestedOn\":\"" + date(on) + "\"}",
          "education", area, id);
      if (chance(0.85)) {
        int32_t decided = after(on, 3, 45);
        add(decided, "schoolPlacementDecided",
            "{\"childId\":\"" + child + "\",\"school\":\"实验小学\",\"schoolArea\":\"" +
                (chance(0.8) ? residence : std::string("510704")) + "\",\"placed\":" +
                (chance(0.93) ? "true" : "false") + ",\"decidedOn\":\"" + date(decided) + "\"}",
            "education", area, id);
      }
    }
    if (chance(0.12)) {
      static const std::vector<std::string> any{"occupational",   "general",    "hiv",
                                                "echinococcosis", "premarital", "prePregnancy"};
      std::string type =
          !male && chance(0.4) ? (chance(0.5) ? "cervicalCancer" : "breastCancer") : pick(any);
      int32_t on = after(registered, 1, 200);
      add(on, "healthCheckCompleted",
          "{\"checkType\":\"" + type + "\",\"free\":" + (chance(0.7) ? "true" : "false") +
              ",\"result\":\"" + (chance(0.9) ? "normal" : "followUp") + "\",\"performedOn\":\"" +
              date(on) + "\"}",
          "health", area, id);
    }
    if (chance(0.012)) wageClaim(n, id, area, registered);
    if (chance(0.006)) dispute(n, id, area, registered);
    if (chance(0.006)) {
      std::string caseNo = "LA-" + std::to_string(o_.seed) + "-" + std::to_string(n);
      int32_t on = after(registered, 1, 200);
      add(on, "legalAidRequested",
          "{\"caseNo\":\"" + caseNo + "\",\"matter\":\"wages\",\"requestedOn\":\"" + date(on) +
              "\"}",
          "justice", area, id);
      if (chance(0.85)) {
        int32_t decided = after(on, 2, 14);
        if (n % 3 == 0 && decided > plus(on, 3)) {  // incomplete: the clock stops for 2 days
          dated(plus(on, 1), "legalAidMaterialRequested", caseNo, "requestedOn", "justice", area);
          dated(plus(on, 3), "legalAidMaterialSupplied", caseNo, "suppliedOn", "justice", area);
        }
        add(decided, "legalAidDecided",
            "{\"caseNo\":\"" + caseNo + "\",\"granted\":" + (chance(0.9) ? "true" : "false") +
                ",\"decidedOn\":\"" + date(decided) + "\"}",
            "justice", area);
      }
    }
  }

  // An event of a case that says no more than its day: a clock stopped or restarted.
  void dated(int32_t on, const std::string& kind, const std::string& caseNo,
             const std::string& field, const std::string& source, const std::string& area) {
    add(on, kind, "{\"caseNo\":\"" + caseNo + "\",\"" + field + "\":\"" + date(on) + "\"}", source,
        area);
  }

  // What the coverage populations draw on of a registered worker.
  struct Worker {
    std::string id, hukou, area;
    int32_t registered = 0;
    bool hasCard = false;  // issued one above, insured or not
  };

  // The populations of the coverage promises (MEASURES.md, "Coverage") with the gaps an office
  // would find: most insured workers get a card, some wait; most listed poor workers are placed;
  // most returnees' families are visited at the Spring Festival; most exposed workers are
  // checked. Every worklist has people on it.
  void coverage(const Worker& w) {
    if (chance(0.55)) {  // insured (measure 16), under one scheme or two: counted once
      int32_t on = after(w.registered, 0, 60);
      add(on, "insuranceEnrolled",
          std::string("{\"scheme\":\"pension\",\"employerCode\":\"") + kEmployers[0] +
              "\",\"enrolledOn\":\"" + date(on) + "\"}",
          "hrss", w.area, w.id);
      if (chance(0.5)) {
        int32_t medical = after(on, 0, 30);
        add(medical, "insuranceEnrolled",
            "{\"scheme\":\"medical\",\"enrolledOn\":\"" + date(medical) + "\"}", "hrss",
            w.area, w.id);
      }
      if (!w.hasCard && chance(0.85)) {
        int32_t issued = after(on, 5, 90);
        add(issued, "socialSecurityCardIssued", "{\"issuedOn\":\"" + date(issued) + "\"}",
            "hrss", w.area, w.id);
      }
    }
    bool local = std::find(counties_.begin(), counties_.end(), w.hukou) != counties_.end();
    if (local && chance(0.06)) {  // 建档立卡 poor labour (measure 3), placed by a job or a post
      int32_t listed = after(w.registered, 0, 30);
      add(listed, "poorLabourListed", "{\"listedOn\":\"" + date(listed) + "\"}", "hrss", w.area,
          w.id);
      if (chance(0.75)) {
        int32_t on = after(listed, 10, 120);
        if (chance(0.5)) {
          add(on, "publicWelfareJobAssigned",
              "{\"position\":\"乡村保洁\",\"startedOn\":\"" + date(on) + "\"}", "hrss", w.area,
              w.id);
        } else {
          add(on, "employmentRegistered",
              std::string("{\"employerCode\":\"") + kEmployers[0] + "\",\"startedOn\":\"" +
                  date(on) + "\",\"registeredPoor\":true}",
              "hrss", w.area, w.id);
        }
      }
    }
    if (local && chance(0.3)) {  // home for the Spring Festival (measure 23), visited by the village
      int32_t returned = first_ + between(14, 40);
      // 统计用区划代码: the county, a township (101–112), a village (201–230).
      std::string village = w.hukou + std::to_string(between(101, 112)) +
                            std::to_string(between(201, 230));
      add(returned, "workerReturned",
          "{\"returnedOn\":\"" + date(returned) + "\",\"village\":\"" + village +
              "\",\"reason\":\"springFestival\"}",
          "areaGovernment", w.hukou, w.id);
      if (chance(0.8)) {
        int32_t visited = after(returned, 1, 20);
        add(visited, "familyVisited",
            "{\"visitedOn\":\"" + date(visited) + "\",\"village\":\"" + village +
                "\",\"form\":\"" + (chance(0.8) ? "inPerson" : "phone") +
                "\",\"note\":\"送春联、慰问金\"}",
            "areaGovernment", w.hukou, w.id);
      }
    }
    if (chance(0.1)) {  // exposed to a hazard at work (measure 15), checked in the year or not
      static const std::vector<std::string> hazards{"dust", "noise", "chemical", "dust"};
      int32_t on = after(w.registered, 1, 100);
      add(on, "hazardExposureRegistered",
          std::string("{\"employerCode\":\"") + kEmployers[0] + "\",\"hazard\":\"" +
              pick(hazards) + "\",\"registeredOn\":\"" + date(on) + "\"}",
          "health", w.area, w.id);
      if (chance(0.7)) {
        int32_t checked = after(on, 1, 120);
        add(checked, "healthCheckCompleted",
            "{\"checkType\":\"occupational\",\"free\":true,\"result\":\"normal\","
            "\"performedOn\":\"" +
                date(checked) + "\"}",
            "health", w.area, w.id);
      }
    }
  }

  // The public rental units a county completes in the year (measure 11's base of the share).
  void rentalCompleted(const std::string& county) {
    int32_t on = day();
    add(on, "publicRentalCompleted",
        "{\"estate\":\"公租房" + county + "\",\"units\":" + std::to_string(between(40, 300)) +
            ",\"completedOn\":\"" + date(on) + "\"}",
        "housing", county);
  }

  std::string profile(const std::string& name, bool male, const std::string& hukou,
                      const std::string& area, int32_t on) {
    return "{\"name\":\"" + name + "\",\"gender\":\"" + (male ? "male" : "female") +
           "\",\"phone\":\"138" + std::to_string(between(10000000, 99999999)) +
           "\",\"hukouArea\":\"" + hukou + "\",\"currentArea\":\"" + countyOf(area) +
           "\",\"currentCity\":\"绵阳\",\"registeredOn\":\"" + date(on) + "\"}";
  }

  void wageClaim(uint32_t n, const std::string& id, const std::string& area, int32_t registered) {
    std::string caseNo = "WC-" + std::to_string(o_.seed) + "-" + std::to_string(n);
    int32_t filed = after(registered, 1, 200);
    add(filed, "wageClaimFiled",
        "{\"caseNo\":\"" + caseNo + "\",\"employerCode\":\"" + kEmployers[0] +
            "\",\"project\":\"安置房项目\"," +
            "\"governmentInvested\":" + (chance(0.1) ? "true" : "false") +
            ",\"amountYuan\":" + std::to_string(between(3, 200) * 1000) + ",\"workersAffected\":" +
            std::to_string(between(1, 30)) + ",\"channel\":\"hotline\",\"filedOn\":\"" +
            date(filed) + "\",\"owedUntil\":\"" + date(filed - 20) + "\"}",
        "hrss", area, id);
    if (!chance(0.85)) {  // never accepted: half refused (不予受理) in time, half overdue
      if (n % 2 == 0) {
        add(plus(filed, 1), "wageClaimRejected",
            "{\"caseNo\":\"" + caseNo +
                "\",\"reason\":\"不属于劳动保障监察职责范围\",\"decidedOn\":\"" +
                date(plus(filed, 1)) + "\"}",
            "hrss", area);
      }
      return;
    }
    int32_t accepted = after(filed, 1, chance(0.9) ? 6 : 15);
    add(accepted, "wageClaimAccepted",
        "{\"caseNo\":\"" + caseNo + "\",\"acceptedOn\":\"" + date(accepted) + "\"}", "hrss", area);
    if (!chance(0.7)) return;
    int32_t resolved = after(accepted, 10, 100);
    add(resolved, "wageClaimResolved",
        "{\"caseNo\":\"" + caseNo +
            "\",\"recoveredYuan\":" + std::to_string(between(1, 100) * 1000) +
            ",\"outcome\":\"paid\",\"resolvedOn\":\"" + date(resolved) + "\"}",
        "hrss", area);
  }

  void dispute(uint32_t n, const std::string& id, const std::string& area, int32_t registered) {
    std::string caseNo = "LD-" + std::to_string(o_.seed) + "-" + std::to_string(n);
    int32_t filed = after(registered, 1, 200);
    add(filed, "disputeFiled",
        "{\"caseNo\":\"" + caseNo + "\",\"category\":\"wages\",\"claimYuan\":" +
            std::to_string(between(5, 80) * 1000) + ",\"filedOn\":\"" + date(filed) + "\"}",
        "hrss", area, id);
    int32_t accepted = after(filed, 1, 6);
    add(accepted, "disputeAccepted",
        "{\"caseNo\":\"" + caseNo + "\",\"simplified\":true,\"acceptedOn\":\"" + date(accepted) +
            "\"}",
        "hrss", area);
    if (chance(0.5)) {
      int32_t mediated = after(accepted, 3, 20);
      add(mediated, "disputeMediated",
          "{\"caseNo\":\"" + caseNo + "\",\"settled\":true,\"mediatedOn\":\"" + date(mediated) +
              "\"}",
          "tradeUnion", area);
      add(mediated, "disputeClosed",
          "{\"caseNo\":\"" + caseNo + "\",\"outcome\":\"settled\",\"closedOn\":\"" +
              date(mediated) + "\"}",
          "hrss", area);
    } else if (chance(0.8)) {
      int32_t awarded = after(accepted, 20, 60);
      if (n % 5 == 0) {  // suspended (中止) for 5 days: the award day moves by them
        dated(plus(accepted, 10), "disputeSuspended", caseNo, "suspendedOn", "hrss", area);
        dated(plus(accepted, 15), "disputeResumed", caseNo, "resumedOn", "hrss", area);
      }
      add(awarded, "disputeAwarded",
          "{\"caseNo\":\"" + caseNo + "\",\"awardedYuan\":20000,\"final\":true,\"awardedOn\":\"" +
              date(awarded) + "\"}",
          "hrss", area);
      add(awarded, "disputeClosed",
          "{\"caseNo\":\"" + caseNo + "\",\"outcome\":\"awarded\",\"closedOn\":\"" + date(awarded) +
              "\"}",
          "hrss", area);
    }
  }

  // 措施二十九, each county accountable for its own share. 江油市 holds the city's 100 fairs alone
  // (a fair every third day), so the city's figure is met whatever the other counties do; 平武县's
  // office sends nothing of its own in the third quarter (its fairs and activities are left out
  // by add(), and it sends no periodReported), so it is silent for every measure no worker's event
  // of it counts toward then. Every other area says, within five days after each quarter's end,
  // which measures it had nothing to report of (periodReported, nothingToReport).
  static constexpr const char* kStrongArea = "510781";
  static constexpr const char* kSilentArea = "510727";
  Period silentQuarter() const { return quarterPeriod(o_.year, 3); }

  void accountability() {
    for (int i = 0; i < 100; ++i) {
      int32_t on = first_ + 3 * i;
      add(on, "jobFairHeld",
          "{\"fairId\":\"F-" + std::string(kStrongArea) + "-" + std::to_string(o_.seed) + "-city-" +
              std::to_string(i) + "\",\"campaign\":\"regular\",\"heldOn\":\"" + date(on) +
              "\",\"employers\":30,\"vacancies\":500,\"attendees\":1500,\"agreementsSigned\":120}",
          "hrss", kStrongArea);
    }
    for (int q = 1; q <= 4; ++q) {
      Period quarter = quarterPeriod(o_.year, q);
      for (const auto& area : areas_) {
        if (area == kSilentArea && q == silentQuarter().quarter) continue;
        for (auto m : Catalogue::builtIn().data().getMeasures()) {
          if (reported_.count({area, m.getNumber(), q})) continue;
          add(quarter.lastDay + 4, "periodReported",
              "{\"measure\":" + std::to_string(m.getNumber()) + ",\"period\":\"" + quarter.name() +
                  "\",\"nothingToReport\":true,\"note\":\"本季度无此项工作\"}",
              "areaGovernment", area);
        }
      }
    }
  }

  // Which area has reported which measure for which quarter of the year, by an event dated in it.
  void noteReport(const std::string& kind, const std::string& payload, const std::string& area,
                  int32_t on) {
    Period quarter = quarterOf(on);
    if (quarter.year != o_.year) return;
    auto found = measuresOf_.find(kind);
    if (found == measuresOf_.end()) return;
    for (int m : found->second) {
      if (kind == "activityReported" &&
          payload.rfind("{\"measure\":" + std::to_string(m) + ",", 0) != 0) {
        continue;
      }
      reported_.insert({area, m, quarter.quarter});
    }
  }

  void areaActivities(const std::string& area) {
    static const std::vector<std::string> campaigns{"regular", "regular", "springBreeze",
                                                    "privateEnterpriseWeek", "jobsToCountryside"};
    for (int i = 0, fairs = between(6, 16); i < fairs; ++i) {
      int32_t on = day();
      add(on, "jobFairHeld",
          "{\"fairId\":\"F-" + area + "-" + std::to_string(o_.seed) + "-" + std::to_string(i) +
              "\",\"campaign\":\"" + pick(campaigns) + "\",\"heldOn\":\"" + date(on) +
              "\",\"employers\":" + std::to_string(between(10, 80)) +
              ",\"vacancies\":" + std::to_string(between(100, 2000)) +
              ",\"attendees\":" + std::to_string(between(200, 5000)) +
              ",\"agreementsSigned\":" + std::to_string(between(20, 600)) + "}",
          "hrss", area);
    }
    for (int i = 0; i < 20; ++i) {
      add(day(), "vacancyPublished",  // a vacancy has no date of its own
          "{\"vacancyId\":\"V-" + area + "-" + std::to_string(o_.seed) + "-" + std::to_string(i) +
              "\",\"employerCode\":\"" + kEmployers[0] +
              "\",\"title\":\"普工\",\"positions\":" + std::to_string(between(1, 50)) +
              ",\"monthlyWageYuan\":" + std::to_string(between(3000, 8000)) +
              ",\"channel\":\"wechat\"}",
          "employmentBureau", area);
    }
    struct Activity {
      int measure;
      const char* activity;
      const char* source;
      double p;
    };
    static const Activity kActivities[] = {{12, "springTravelBus", "transport", 0.9},
                                           {12, "travelServiceStation", "transport", 0.7},
                                           {13, "residencePermitIssued", "publicSecurity", 0.9},
                                           {17, "workersHomeOpened", "culture", 0.4},
                                           {18, "cultureEvent", "culture", 0.9},
                                           {19, "artsContestEntry", "hrss", 0.5},
                                           {23, "condolenceVisitOutside", "areaGovernment", 0.85},
                                           {23, "familyVisit", "areaGovernment", 0.95},
                                           {24, "leftBehindChildService", "civilAffairs", 0.9},
                                           {25, "volunteerServicePoint", "youthLeague", 0.8},
                                           {26, "publicityCampaign", "propaganda", 0.7},
                                           {27, "commendation", "hrss", 0.5},
                                           {28, "villageCadreFromReturnees", "organisation", 0.6},
                                           {29, "serviceOrganisationEstablished", "staffing", 0.85},
                                           {30, "budgetLineEstablished", "finance", 0.85}};
    for (const auto& a : kActivities) {
      if (!chance(a.p)) continue;
      int32_t on = day();
      add(on, "activityReported",
          "{\"measure\":" + std::to_string(a.measure) + ",\"activity\":\"" + a.activity +
              "\",\"heldOn\":\"" + date(on) +
              "\",\"count\":" + std::to_string(between(1, a.measure == 23 ? 3 : 30)) +
              ",\"participants\":" + std::to_string(between(10, 2000)) +
              ",\"fundsYuan\":" + std::to_string(between(0, 50) * 1000) + "}",
          a.source, area);
    }
    if (area == "510703") {  // 《致广大农民工朋友新春慰问信》, once a year
      int32_t on = std::min(last_, *parseDate(std::to_string(o_.year) + "-01-25"));
      add(on, "activityReported",
          "{\"measure\":26,\"activity\":\"newYearLetterPublished\",\"heldOn\":\"" + date(on) +
              "\",\"count\":1,\"participants\":0,\"fundsYuan\":0}",
          "propaganda", area);
    }
    if (chance(0.5)) {
      int32_t on = day();
      add(on, "occupationalIncidentReported",
          "{\"incidentId\":\"I-" + area + "-" + std::to_string(o_.seed) + "\",\"employerCode\":\"" +
              kEmployers[0] + "\",\"severity\":\"minor\",\"affectedWorkers\":" +
              std::to_string(between(1, 5)) + ",\"occurredOn\":\"" + date(on) + "\"}",
          "health", area);
    }
    if (chance(0.6)) {
      int32_t on = day();
      add(on, "dormitoryBedsProvided",
          "{\"employerCode\":\"" + std::string(kEmployers[0]) + "\",\"beds\":" +
              std::to_string(between(20, 300)) + ",\"providedOn\":\"" + date(on) + "\"}",
          "housing", area);
    }
  }

  // GB 32100-2015: `kind` (the registering authority and type, "91" a company, "11" an organ of
  // government), the county, a nine-character organisation code and the check character.
  std::string creditCode(const char* kind, const std::string& county) {
    static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static constexpr int kWeights[] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8,  24, 10, 30, 28};
    std::string code = kind + county;
    while (code.size() < 17) code += kAlphabet[between(0, static_cast<int>(kAlphabet.size()) - 1)];
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += static_cast<int>(kAlphabet.find(code[i])) * kWeights[i];
    return code + kAlphabet[(31 - sum % 31) % 31];
  }

  // What goes wrong on a project, so that the demo shows every warning of measure 20 (MEASURES.md,
  // "Wage payment at the source") beside a majority of projects that pay on time. The project's
  // own faults come in turn (one project in twenty each), and so do its payers (below).
  enum class ProjectFault {
    none,
    noAccount,
    lateAccount,
    noDeposit,
    lateDeposit,
    lateLabourCost,
    manyUnpaid
  };
  static ProjectFault faultOf(uint32_t p) {
    switch (p % 20) {
      case 1:
        return ProjectFault::noAccount;
      case 4:
        return ProjectFault::lateAccount;
      case 6:
        return ProjectFault::noDeposit;
      case 9:
        return ProjectFault::lateDeposit;
      case 11:
        return ProjectFault::lateLabourCost;
      case 2:
      case 14:
        return ProjectFault::manyUnpaid;
      default:
        return ProjectFault::none;
    }
  }

  // How a project's contractor pays, as chances per worker and month: most pay every worker by the
  // payday through the wage account and settle a leaver first; one project in four is a poor payer.
  struct PayRates {
    double late, pastSecondMonth, never, outsideAccount, belowMinimum, leaverUnsettled;
  };
  static constexpr PayRates kGoodPayer{0.01, 0, 0, 0, 0, 0};
  static constexpr PayRates kPoorPayer{0.06, 0.02, 0.015, 0.02, 0.015, 0.5};

  // One project of the year with its account, deposit, labour cost, enrolled workers, their monthly
  // attendance and wages, leavers and completion (保障农民工工资支付条例 arts. 24–32).
  void project(uint32_t p) {
    struct Sector {
      const char *name, *source, *site;
    };
    static const Sector kSectors[] = {
        {"building", "housing", "安置房"},           {"building", "housing", "棚户区改造"},
        {"building", "housing", "产业园标准厂房"},   {"transport", "transport", "城区道路改造"},
        {"water", "waterResources", "水库灌区配套"}, {"other", "housing", "管网改造"}};
    const Sector& sector = kSectors[p % std::size(kSectors)];
    ProjectFault fault = faultOf(p);
    const PayRates& pay = p % 4 == 3 ? kPoorPayer : kGoodPayer;
    std::string area = chance(0.85) ? pick(counties_) : pick(areas_);
    std::string county = countyOf(area);
    bool government = chance(0.35);
    std::string id = "P-" + std::to_string(o_.seed) + "-" + std::to_string(p);
    int32_t start = between(first_, first_ + 240);
    int32_t plannedEnd = start + between(150, 600);
    int payday = std::array{10, 15, 15, 20, 25}[between(0, 4)];
    uint64_t contract = static_cast<uint64_t>(between(5, 300)) * 1'000'000;
    auto head = [&] { return "{\"projectId\":\"" + id + "\","; };
    add(start, "projectRegistered",
        head() + "\"name\":\"" + sector.site + std::to_string(p) + "号项目\",\"sector\":\"" +
            sector.name + "\",\"ownerCode\":\"" + creditCode(government ? "11" : "91", county) +
            "\",\"contractorCode\":\"" + creditCode("91", county) + "\",\"governmentInvested\":" +
            (government ? "true" : "false") + ",\"contractYuan\":" + std::to_string(contract) +
            ",\"startOn\":\"" + date(start) + "\",\"plannedEndOn\":\"" + date(plannedEnd) +
            "\",\"payday\":" + std::to_string(payday) + "}",
        sector.source, area);
    // 条例 art. 26 and art. 32: the wage account and the deposit within 30 days of the start.
    if (fault != ProjectFault::noAccount) {
      int32_t on = start + (fault == ProjectFault::lateAccount ? between(35, 70) : between(3, 25));
      add(on, "wageAccountOpened",
          head() + "\"bankName\":\"绵阳市商业银行\",\"openedOn\":\"" + date(on) + "\"}", "bank",
          area);
    }
    if (fault != ProjectFault::noDeposit) {
      int32_t on = start + (fault == ProjectFault::lateDeposit ? between(35, 70) : between(3, 25));
      static const std::vector<std::string> forms{"cash", "bankGuarantee", "bankGuarantee",
                                                  "insurance"};
      add(on, "wageDepositLodged",
          head() + "\"amountYuan\":" + std::to_string(contract / 100) + ",\"form\":\"" +
              pick(forms) + "\",\"lodgedOn\":\"" + date(on) + "\"}",
          sector.source, area);
    }
    // Real-name enrolment (art. 28) of workers registered in the year.
    std::vector<std::string> crew;
    for (int n = between(5, 30); n > 0 && !registeredWorkers_.empty(); --n) {
      std::string worker = pick(registeredWorkers_);
      if (std::find(crew.begin(), crew.end(), worker) == crew.end()) crew.push_back(worker);
    }
    static const std::vector<std::string> trades{"钢筋工", "木工",   "混凝土工",
                                                 "架子工", "电焊工", "普工"};
    int32_t enrolled = start + between(0, 10);
    for (const auto& worker : crew) {
      add(enrolled, "projectWorkerEnrolled",
          head() + "\"employerCode\":\"" + creditCode("91", county) + "\",\"trade\":\"" +
              pick(trades) + "\",\"contractSigned\":" + (chance(0.95) ? "true" : "false") +
              ",\"enrolledOn\":\"" + date(enrolled) + "\"}",
          sector.source, area, worker);
    }
    std::vector<bool> gone(crew.size(), false);
    int32_t lastMonth = std::min(plannedEnd, last_);
    int32_t troubledMonth = addMonths(monthOf(start), between(1, 4));
    for (int32_t month = monthOf(enrolled); month <= lastMonth; month = addMonths(month, 1)) {
      std::string m = formatDate(month).substr(0, 7);
      int32_t endOfMonth = addMonths(month, 1) - 1, next = endOfMonth + 1;
      int32_t due = next + payday - 1;  // arts. 11–12: the month's wages by the payday of the next
      // Art. 24: the owner's labour cost for the month, by the end of the next month.
      // Of the projects late with a month's labour cost, every other one never pays that month.
      bool lateCost = fault == ProjectFault::lateLabourCost && month == troubledMonth;
      int32_t costOn = lateCost ? addMonths(next, 1) + between(0, 20) : next + between(0, 20);
      if (!lateCost || p % 40 != 11) {
        add(costOn, "labourCostTransferred",
            head() + "\"month\":\"" + m + "\",\"amountYuan\":" +
                std::to_string(crew.size() * 6000) + ",\"transferredOn\":\"" + date(costOn) + "\"}",
            "bank", area);
      }
      bool troubled = fault == ProjectFault::manyUnpaid && month == troubledMonth;
      for (size_t w = 0; w < crew.size(); ++w) {
        if (gone[w]) continue;
        int days = chance(0.03) ? 0 : between(8, 27);
        add(endOfMonth, "attendanceReported",
            head() + "\"month\":\"" + m + "\",\"daysWorked\":" + std::to_string(days) + "}",
            sector.source, area, crew[w]);
        if (days == 0) continue;
        // 最低工资规定: below the minimum ÷ 21.75 a day; art. 31: not through the wage account.
        int dayRate = chance(pay.belowMinimum) ? between(40, 80) : between(200, 360);
        bool outside = chance(pay.outsideAccount);
        int32_t paidOn = due - between(0, 6);
        double r = std::uniform_real_distribution<>(0, 1)(rng_);
        double veryLate = pay.late + pay.pastSecondMonth, unpaid = veryLate + pay.never;
        if (troubled && r < 0.4)
          paidOn = due + between(5, 30);  // many unpaid on the payday
        else if (r < pay.late)
          paidOn = due + between(1, 25);  // late: yellow, cleared
        else if (r < veryLate)
          paidOn = addMonths(next, 2) + between(0, 20);  // past M+2: red
        bool neverPaid = !troubled && r >= veryLate && r < unpaid;
        // Art. 30: a worker who leaves is settled first — by a poor payer, not always.
        bool leaves = chance(0.04);
        int32_t leftOn = next + between(0, 6);
        if (leaves && !neverPaid && !chance(pay.leaverUnsettled)) paidOn = std::min(paidOn, leftOn);
        if (!neverPaid) {
          add(paidOn, "wagePaid",
              head() + "\"month\":\"" + m + "\",\"amountYuan\":" + std::to_string(days * dayRate) +
                  ",\"throughWageAccount\":" + (outside ? "false" : "true") + ",\"paidOn\":\"" +
                  date(paidOn) + "\"}",
              "bank", area, crew[w]);
        }
        if (leaves) {
          gone[w] = true;
          add(leftOn, "projectWorkerLeft", head() + "\"leftOn\":\"" + date(leftOn) + "\"}",
              sector.source, area, crew[w]);
        }
      }
    }
    if (plannedEnd <= last_) {
      int32_t on = plannedEnd + between(0, 20);
      add(on, "projectCompleted", head() + "\"completedOn\":\"" + date(on) + "\"}", sector.source,
          area);
    }
  }

  // The first day of the month of `day`.
  static int32_t monthOf(int32_t day) { return *parseMonth(formatDate(day).substr(0, 7)); }

  Options o_;
  std::mt19937_64 rng_, coverageRng_;
  std::vector<std::string> areas_, counties_;
  std::vector<std::string> registeredWorkers_;  // valid resident IDs, for the projects' crews
  std::vector<Worker> workers_;                 // the same, for the coverage populations
  int32_t first_ = 0, last_ = 0;
  uint64_t count_ = 0;
  std::map<std::string, std::vector<int>> measuresOf_;    // kind → the measures it counts toward
  std::set<std::tuple<std::string, int, int>> reported_;  // (area, measure, quarter)
  std::vector<std::pair<int32_t, std::string>> events_;
};

}  // namespace

std::vector<std::string> simulateYear(const Options& options) {
  return Generator(options).run();
}

}  // namespace mwp::simulate
