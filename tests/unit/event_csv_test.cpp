// CSV files as offices save them: encodings, RFC 4180 quoting, and rows read as events of any
// kind through the schema.
#include "event_csv.h"

#include <capnp/compat/json.h>
#include <gtest/gtest.h>

#include <charconv>

#include "event_json.h"
#include "event_kinds.h"
#include "frames.h"
#include "test_env.h"

namespace mwp {
namespace {

constexpr const char* kWorker = "510722198803040026";

std::string errorOf(std::string_view kind, std::string_view bytes) {
  auto read = readEventCsv(kind, bytes);
  if (auto* file = std::get_if<EventCsv>(&read)) {
    ADD_FAILURE() << "read " << file->rows.size() << " rows of " << bytes;
    return "";
  }
  return std::get<csv::Error>(read).message;
}

EventCsv fileOf(std::string_view kind, std::string_view bytes) {
  auto read = readEventCsv(kind, bytes);
  if (auto* e = std::get_if<csv::Error>(&read)) {
    ADD_FAILURE() << e->message << " in " << bytes;
    return {};
  }
  return std::move(std::get<EventCsv>(read));
}

std::string jsonOfFrame(const std::string& frame) {
  FrameReader reader(frame);
  return encodeEventJson(reader.root<msg::Envelope>());
}

std::vector<csv::Record> recordsOf(std::string_view text) {
  auto parsed = csv::parse(text);
  if (auto* e = std::get_if<csv::Error>(&parsed)) ADD_FAILURE() << e->message;
  return std::get<std::vector<csv::Record>>(parsed);
}

const std::string kCardHeader = "issuedOn,workerId,eventId,area,source,occurredAt\n";
std::string cardRow(const std::string& id, const std::string& issuedOn = "2026-03-01") {
  return issuedOn + "," + kWorker + "," + id + ",510722,hrss,2026-03-02T09:00:00+08:00\n";
}

TEST(Csv, ValidUtf8IsUtf8AndAnythingElseIsReadAsGb18030) {
  auto plain = std::get<csv::Text>(csv::decode("a,中文\n"));
  EXPECT_EQ(plain.encoding, csv::Encoding::kUtf8);
  EXPECT_EQ(plain.utf8, "a,中文\n");
  auto bom =
      std::get<csv::Text>(csv::decode("\xEF\xBB\xBF"
                                      "a,中文\n"));
  EXPECT_EQ(bom.encoding, csv::Encoding::kUtf8WithBom);
  EXPECT_EQ(bom.utf8, "a,中文\n") << "the BOM is not part of the first column's name";
  auto gb = std::get<csv::Text>(csv::decode("a,\xD6\xD0\xCE\xC4\n"));  // 中文 as Excel saves it
  EXPECT_EQ(gb.encoding, csv::Encoding::kGb18030);
  EXPECT_EQ(gb.utf8, "a,中文\n");
  EXPECT_EQ(csv::encode("a,中文\n", csv::Encoding::kGb18030), "a,\xD6\xD0\xCE\xC4\n");
  EXPECT_EQ(csv::encodingName(gb.encoding), std::string("GB18030"));
}

TEST(Csv, AFileThatIsNeitherUtf8NorGb18030IsRefusedNamingTheLine) {
  EXPECT_EQ(std::get<csv::Error>(csv::decode("a\nb\n\xFF\xFF\n")).message,
            "第 3 行既不是 UTF-8 也不是 GB18030 编码 / line 3: neither UTF-8 nor GB18030 text");
  EXPECT_NE(std::get<csv::Error>(csv::decode("\xFF\xFE"
                                             "a\0,\0"))
                .message.find("the file is UTF-16"),
            std::string::npos);
  EXPECT_NE(std::get<csv::Error>(csv::decode("\xEF\xBB\xBF"
                                             "a\n\xD6\xD0\n"))
                .message.find("line 2: not valid UTF-8"),
            std::string::npos);
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndNewlines) {
  auto records = recordsOf(
      "a,b,c\r\n"
      "\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
      " spaced ,\" kept \",\n"
      "\n"
      "last,,");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"x, y", "say \"hi\"", "two\r\nlines"}));
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[2].line, 4u) << "a record's line counts the newlines quoted before it";
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"spaced", " kept ", ""}));
  EXPECT_EQ(records[3].fields, std::vector<std::string>{""});
  EXPECT_EQ(records[4].fields, (std::vector<std::string>{"last", "", ""}));
  EXPECT_EQ(recordsOf("a,b")[0].fields, (std::vector<std::string>{"a", "b"})) << "no final newline";
}

TEST(Csv, AQuoteNotClosedOrFollowedByTextIsAnErrorNamingItsLine) {
  EXPECT_EQ(std::get<csv::Error>(csv::parse("a\nb\n\"open,\nstill\n")).message,
            "第 3 行的引号没有闭合 / line 3: a quoted field is not closed");
  EXPECT_NE(std::get<csv::Error>(csv::parse("a\n\"x\"y\n")).message.find("line 2: text after"),
            std::string::npos);
}

TEST(Csv, WhatIsFormattedParsesBackTheSame) {
  std::vector<std::string> fields{"plain", "a,b", "say \"hi\"", "two\nlines", " padded", ""};
  std::string text = csv::formatRecord(fields);
  EXPECT_EQ(text, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",\r\n");
  EXPECT_EQ(recordsOf(text)[0].fields, fields);
}

TEST(EventCsv, ColumnsInAnyOrderMakeTheSameEventAsItsJson) {
  auto file = fileOf("socialSecurityCardIssued", kCardHeader + cardRow("c-1"));
  ASSERT_EQ(file.rows.size(), 1u);
  EXPECT_EQ(file.rows[0].line, 2u);
  EXPECT_EQ(file.rows[0].eventId, "c-1");
  EXPECT_EQ(file.rows[0].source, "hrss");
  ASSERT_FALSE(file.rows[0].frame.empty()) << file.rows[0].refusal;
  auto json = decodeEventJson(
      std::string(R"({"eventId":"c-1","occurredAt":"2026-03-02T09:00:00+08:00","source":"hrss",)") +
      R"("area":"510722","workerId":")" + kWorker +
      R"(","socialSecurityCardIssued":{"issuedOn":"2026-03-01"}})");
  EXPECT_EQ(jsonOfFrame(file.rows[0].frame),
            encodeEventJson(std::get<DecodedEvent>(json).envelope()));
}

// Every kind a department sends, as one row: the schema alone decides the columns, so a kind
// added to events.capnp imports with no code. Each fixture event becomes a header of its members
// and a row of their values, and the row reads back as the same event.
TEST(EventCsv, EveryKindImportsFromTheSchemaAlone) {
  size_t imported = 0;
  for (const auto& line : test::fixtureLines()) {
    capnp::MallocMessageBuilder raw;
    auto value = raw.initRoot<capnp::JsonValue>();
    capnp::JsonCodec().decodeRaw(kj::ArrayPtr<const char>(line.data(), line.size()), value);
    std::vector<std::string> header, cells;
    std::string kind;
    auto add = [&](capnp::JsonValue::Field::Reader member) {
      auto v = member.getValue();
      header.emplace_back(member.getName().cStr());
      if (v.isString()) {
        cells.emplace_back(v.getString().cStr());
      } else if (v.isBoolean()) {
        cells.emplace_back(v.getBoolean() ? "TRUE" : "FALSE");  // as Excel writes them
      } else {
        char buffer[32];
        auto end = std::to_chars(buffer, buffer + sizeof buffer, v.getNumber()).ptr;
        cells.emplace_back(buffer, end);
      }
    };
    for (auto member : value.asReader().getObject()) {
      if (member.getValue().isObject()) {
        kind = member.getName().cStr();
        for (auto f : member.getValue().getObject()) add(f);
      } else {
        add(member);
      }
    }
    if (isDerivedKind(kind)) continue;
    auto file = fileOf(kind, csv::formatRecord(header) + csv::formatRecord(cells));
    ASSERT_EQ(file.rows.size(), 1u) << kind;
    ASSERT_EQ(file.rows[0].refusal, "") << kind;
    EXPECT_EQ(jsonOfFrame(file.rows[0].frame),
              encodeEventJson(std::get<DecodedEvent>(decodeEventJson(line)).envelope()))
        << kind;
    ++imported;
  }
  EXPECT_GT(imported, 40u);
}

TEST(EventCsv, AMalformedFileIsRefusedWholeNamingTheColumnOrLine) {
  EXPECT_EQ(errorOf("socialSecurityCardIssued", "bogus," + kCardHeader + "x," + cardRow("c-1")),
            "第 1 行：列 bogus 不是 socialSecurityCardIssued 的字段 / line 1: column bogus is not "
            "a field of socialSecurityCardIssued or of the envelope");
  EXPECT_EQ(errorOf("socialSecurityCardIssued", "workerId,eventId,area,source,occurredAt\n" +
                                                    std::string(kWorker) +
                                                    ",c-1,510722,hrss,2026-03-02T09:00:00+08:00\n"),
            "第 1 行：缺少列 issuedOn / line 1: column issuedOn is missing "
            "(socialSecurityCardIssued needs it)");
  EXPECT_NE(errorOf("socialSecurityCardIssued", "issuedOn,eventId,area,source,occurredAt\n")
                .find("column workerId is missing"),
            std::string::npos)
      << "a kind about one person needs its workerId";
  EXPECT_EQ(errorOf("socialSecurityCardIssued",
                    kCardHeader + cardRow("c-1") + "\"2026-03-01\nstill\",x\n" + cardRow("c-3")),
            "第 3 行有 2 个字段，表头有 6 个 / line 3 has 2 fields, the header 6");
  EXPECT_NE(errorOf("socialSecurityCardIssued", "issuedOn,issuedOn," + kCardHeader)
                .find("column issuedOn is given twice"),
            std::string::npos);
  EXPECT_NE(errorOf("cardIssued", kCardHeader + cardRow("c-1"))
                .find("kind=cardIssued: no such event kind"),
            std::string::npos);
  EXPECT_NE(errorOf("noPayload", kCardHeader).find("no such event kind"), std::string::npos);
  EXPECT_NE(errorOf("subsidyGranted", kCardHeader).find("decided by mwp's services"),
            std::string::npos);
  EXPECT_NE(errorOf("jobFairHeld", "workerId,eventId\n").find("no workerId column"),
            std::string::npos);
  EXPECT_EQ(errorOf("socialSecurityCardIssued", cardRow("c-1") + cardRow("c-2")),
            "第 1 行：列 2026-03-01 不是 socialSecurityCardIssued 的字段 / line 1: column "
            "2026-03-01 is not a field of socialSecurityCardIssued or of the envelope");
  EXPECT_EQ(errorOf("socialSecurityCardIssued",
                    std::string(kWorker) + "," + kCardHeader + "x," + cardRow("c-1")),
            "第 1 行：列 510***********0026 不是 socialSecurityCardIssued 的字段 / line 1: column "
            "510***********0026 is not a field of socialSecurityCardIssued or of the envelope")
      << "a file without its header: no resident ID in the message";
  EXPECT_EQ(errorOf("socialSecurityCardIssued",
                    "," + kCardHeader + "," + cardRow("c-1") + "x," + cardRow("c-2")),
            "第 3 行第 1 列有值，但第 1 行没有给这一列命名 / line 3: column 1 has a value but no "
            "name in line 1");
  EXPECT_NE(errorOf("socialSecurityCardIssued", kCardHeader).find("no rows under the header"),
            std::string::npos);
  EXPECT_NE(errorOf("socialSecurityCardIssued", "").find("the file is empty"), std::string::npos);
}

// Excel writes the cells beyond a table that were once touched as empty columns.
TEST(EventCsv, AnUnnamedEmptyColumnIsSkipped) {
  std::string header = kCardHeader, row = cardRow("c-1");
  header.insert(header.size() - 1, ",,");
  row.insert(row.size() - 1, ",,");
  auto file = fileOf("socialSecurityCardIssued", header + row);
  ASSERT_EQ(file.rows.size(), 1u);
  EXPECT_EQ(file.rows[0].refusal, "");
}

TEST(EventCsv, ARowsOwnFaultRefusesThatRowAloneNamingTheColumn) {
  std::string header =
      "eventId,occurredAt,source,area,measure,activity,heldOn,count,participants,fundsYuan,note\n";
  auto row = [](const std::string& id, const std::string& source, const std::string& measure,
                const std::string& count) {
    return id + ",2026-03-02T09:00:00+08:00," + source + ",510722," + measure +
           ",familyVisit,2026-01-20," + count + ",30,0,\n";
  };
  auto file = fileOf("activityReported", header + row("a-1", "areaGovernment", "23", "2") +
                                             row("a-2", "人社局", "23", "2") +
                                             row("a-3", "areaGovernment", "300", "2") +
                                             row("a-4", "areaGovernment", "23", "two") +
                                             ",,,,,,,,,,\n" + row("", "areaGovernment", "23", "1"));
  ASSERT_EQ(file.rows.size(), 5u) << "a row of empty cells is no row";
  EXPECT_EQ(file.rows[0].refusal, "");
  EXPECT_NE(jsonOfFrame(file.rows[0].frame).find(R"("count":2,"participants":30,"fundsYuan":0)"),
            std::string::npos)
      << "an empty $optional note is left out";
  EXPECT_EQ(
      file.rows[1].refusal.rfind("source: 不是可用的值 / not one of hrss, employmentBureau,", 0),
      0u)
      << file.rows[1].refusal;
  EXPECT_EQ(file.rows[2].refusal, "measure: 应为 0–255 的整数 / not a whole number from 0 to 255");
  EXPECT_EQ(file.rows[3].refusal,
            "count: 应为 0–4294967295 的整数 / not a whole number from 0 to 4294967295");
  EXPECT_EQ(file.rows[4].line, 7u);
  EXPECT_EQ(file.rows[4].eventId, "-");
  EXPECT_EQ(file.rows[4].refusal, "eventId: 不能为空 / must not be empty");
  for (size_t r = 1; r < 5; ++r) {
    EXPECT_TRUE(file.rows[r].frame.empty());
    EXPECT_EQ(file.rows[r].rule, "bus.event.fields") << "a refused row names its rule";
  }
  EXPECT_EQ(file.rows[0].rule, "");
}

// Excel turns a column of resident IDs it took for numbers into 5.10722E+17: the reason says how
// to mend it, since the digits cannot be recovered from the file.
TEST(EventCsv, AResidentIdExcelSavedAsANumberIsRefusedSayingHowToMendIt) {
  auto file = fileOf("socialSecurityCardIssued",
                     "issuedOn,workerId,eventId,area,source,occurredAt\n"
                     "2026-03-01,5.10722E+17,c-1,510722,hrss,2026-03-02T09:00:00+08:00\n");
  ASSERT_EQ(file.rows.size(), 1u);
  EXPECT_NE(file.rows[0].refusal.find("workerId: Excel 把身份证号存成了数字"), std::string::npos)
      << file.rows[0].refusal;
  EXPECT_NE(file.rows[0].refusal.find("format the column as Text"), std::string::npos);
}

// The answer is the file again with three columns first: a clerk keeps the NACK rows, mends them
// and imports that file as it is (the answer's columns are skipped), in the file's encoding.
TEST(EventCsv, TheAnswerIsTheFileWithItsResultsAndImportsAgain) {
  std::string utf8 = kCardHeader + cardRow("c-1") + cardRow("c-2", "三月一日");
  auto file = fileOf("socialSecurityCardIssued", csv::encode(utf8, csv::Encoding::kGb18030));
  ASSERT_EQ(file.encoding, csv::Encoding::kGb18030);
  file.rows[0].result = "ACK";
  file.rows[1].result = "NACK";
  file.rows[1].rule = "bus.event.fields";
  file.rows[1].reason = reasonForColumn(
      "socialSecurityCardIssued", {"bus.event.fields", "socialSecurityCardIssued.issuedOn 不是日期",
                                   "socialSecurityCardIssued.issuedOn: not a YYYY-MM-DD date"});
  std::string answer = answerCsv(file);
  std::string expected = "answer.row,answer.result,answer.reason,answer.rule," + kCardHeader;
  expected.insert(expected.size() - 1, "\r");
  expected += "2,ACK,,," + cardRow("c-1");
  expected.insert(expected.size() - 1, "\r");
  expected += "3,NACK,issuedOn 不是日期 / issuedOn: not a YYYY-MM-DD date,bus.event.fields," +
              cardRow("c-2", "三月一日");
  expected.insert(expected.size() - 1, "\r");
  EXPECT_EQ(answer, csv::encode(expected, csv::Encoding::kGb18030));

  auto again = fileOf("socialSecurityCardIssued", answer);
  ASSERT_EQ(again.rows.size(), 2u);
  EXPECT_EQ(again.rows[1].eventId, "c-2");
  EXPECT_EQ(again.rows[1].refusal, "");
  EXPECT_EQ(answerCsv(again).find("answer.row,answer.result,answer.reason,answer.rule,issuedOn"),
            0u)
      << "an earlier answer's columns are replaced, not repeated";
}

}  // namespace
}  // namespace mwp
