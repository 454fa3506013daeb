// JSON events of one project (measure 20, wage payment at the source), for the rule tests and
// the integration tests: each kind with the fields a test varies, the rest fixed and valid.
#pragma once

#include <cstdio>
#include <string>

#include "rules_harness.h"

namespace mwp::test::wage {

inline constexpr const char* kOwner = "12510700MB1D2E3F41";
inline constexpr const char* kContractor = "91510703MA6A2B3C4K";
inline constexpr const char* kSubcontractor = "91512081MA62K0260E";

// The n-th worker (n < 1000): a resident ID with a valid GB 11643 check character.
inline std::string worker(int n) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  char base[18];
  snprintf(base, sizeof base, "51070319900512%03u", static_cast<unsigned>(n) % 1000u);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (base[i] - '0') * kWeights[i];
  return std::string(base) + "10X98765432"[sum % 11];
}

// The events of the project `projectId`, reported in 涪城区 (510703); payday the 15th.
class ProjectEvents {
 public:
  explicit ProjectEvents(std::string projectId) : id_(std::move(projectId)) {}

  std::string registered(const std::string& id, bool government = false,
                         const std::string& startOn = "2026-01-05") const {
    return event(id, "projectRegistered",
                 head() + R"(,"name":"安置房","sector":"building","ownerCode":")" + kOwner +
                     R"(","contractorCode":")" + kContractor + R"(","governmentInvested":)" +
                     (government ? "true" : "false") + R"(,"contractYuan":9000000,"startOn":")" +
                     startOn + R"(","plannedEndOn":"2027-06-30","payday":15})",
                 "", "housing");
  }
  std::string accountOpened(const std::string& id, const std::string& on) const {
    return event(id, "wageAccountOpened",
                 head() + R"(,"bankName":"绵阳市商业银行","openedOn":")" + on + "\"}", "", "bank");
  }
  std::string depositLodged(const std::string& id, const std::string& on) const {
    return event(id, "wageDepositLodged",
                 head() + R"(,"amountYuan":90000,"form":"cash","lodgedOn":")" + on + "\"}", "",
                 "housing");
  }
  std::string labourCost(const std::string& id, const std::string& month,
                         const std::string& on) const {
    return event(id, "labourCostTransferred",
                 head() + R"(,"month":")" + month + R"(","amountYuan":400000,"transferredOn":")" +
                     on + "\"}",
                 "", "bank");
  }
  std::string enrolled(const std::string& id, const std::string& workerId,
                       const std::string& on = "2026-01-06") const {
    return event(id, "projectWorkerEnrolled",
                 head() + R"(,"employerCode":")" + kSubcontractor +
                     R"(","trade":"钢筋工","contractSigned":true,"enrolledOn":")" + on + "\"}",
                 workerId, "housing");
  }
  std::string attended(const std::string& id, const std::string& workerId, const std::string& month,
                       int days = 20) const {
    return event(
        id, "attendanceReported",
        head() + R"(,"month":")" + month + R"(","daysWorked":)" + std::to_string(days) + "}",
        workerId, "housing");
  }
  std::string paid(const std::string& id, const std::string& workerId, const std::string& month,
                   const std::string& on, int yuan = 6000, bool throughAccount = true) const {
    return event(id, "wagePaid",
                 head() + R"(,"month":")" + month + R"(","amountYuan":)" + std::to_string(yuan) +
                     R"(,"throughWageAccount":)" + (throughAccount ? "true" : "false") +
                     R"(,"paidOn":")" + on + "\"}",
                 workerId, "bank");
  }
  std::string left(const std::string& id, const std::string& workerId,
                   const std::string& on) const {
    return event(id, "projectWorkerLeft", head() + R"(,"leftOn":")" + on + "\"}", workerId,
                 "housing");
  }
  std::string completed(const std::string& id, const std::string& on) const {
    return event(id, "projectCompleted", head() + R"(,"completedOn":")" + on + "\"}", "",
                 "housing");
  }

 private:
  std::string head() const { return R"({"projectId":")" + id_ + "\""; }
  std::string id_;
};

}  // namespace mwp::test::wage
