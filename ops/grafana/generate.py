#!/usr/bin/env python3
"""Writes the Grafana dashboards of ops/grafana/dashboards/ from common/core/catalogue.json, so
every measure appears under its Chinese title with its English one beside it. Run it after
changing the catalogue; the output is committed.
  ops/grafana/generate.py          (no options; exit 64 for any word but --help / -h)"""
import json
import os
import sys

if __name__ == "__main__":
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print("usage: ops/grafana/generate.py\n\n" + __doc__)
        sys.exit(0)
    if len(sys.argv) > 1:
        print(f'ops/grafana/generate.py: "{sys.argv[1]}": unexpected argument', file=sys.stderr)
        sys.exit(64)

ROOT = os.path.dirname(os.path.abspath(__file__))
catalogue = json.load(open(os.path.join(ROOT, "..", "..", "common", "core", "catalogue.json"), encoding="utf-8"))
DS = {"type": "prometheus", "uid": "${datasource}"}


def variables(*extra):
    v = [{"name": "datasource", "label": "数据源 Data source", "type": "datasource", "query": "prometheus"}]
    for name, label, query in extra:
        v.append({"name": name, "label": label, "type": "query", "datasource": DS, "refresh": 2,
                  "query": {"query": query, "refId": name}, "definition": query, "includeAll": False})
    return {"list": v}


def target(expr, legend="", ref="A"):
    return {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref}


def panel(pid, title, kind, targets, x, y, w=12, h=8, **more):
    p = {"id": pid, "title": title, "type": kind, "datasource": DS, "targets": targets,
         "gridPos": {"x": x, "y": y, "w": w, "h": h}}
    p.update(more)
    return p


def dashboard(uid, title, panels, templating, tags):
    return {"uid": uid, "title": title, "tags": ["mwp"] + tags, "timezone": "Asia/Shanghai",
            "schemaVersion": 39, "version": 1, "editable": True, "refresh": "1m",
            "time": {"from": "now-7d", "to": "now"}, "templating": templating, "panels": panels}


YEAR_AREA = (("year", "年度 Year", "label_values(mwp_measure_value, year)"),
             ("area", "区县/园区 Area", "label_values(mwp_measure_value, area)"))


# The coverage ratios, served ÷ should-be-served (MEASURES.md, "Coverage").
COVERAGE = ("poor_placement_rate", "completed_share_allocated", "occupational_check_coverage", "card_coverage",
            "family_visit_coverage")


def overview():
    panels = [panel(1, "三十条措施进度 Progress of the 30 measures (value ÷ target)", "table",
                    [target('mwp:measure_progress:ratio{area="$area", year="$year"} '
                            '* on(measure) group_left(title_zh, title_en, lead) mwp_measure_info', "", "A")],
                    0, 0, 24, 10, options={"showHeader": True})]
    y, pid = 10, 2
    for m in catalogue["measures"]:
        n = m["number"]
        # The measure's first indicator with a target, drawn with its target line; or its first.
        main = next((i for i in m["indicators"] if "target" in i), m["indicators"][0])
        name = main["name"]
        title = f'{n}. {m["titleZh"]} {m["titleEn"]} — {name}'
        targets = [target(f'mwp_measure_value{{measure="{n}", indicator="{name}", area="$area", year="$year"}}',
                          "value 完成", "A")]
        if "target" in main:
            # A per-area target follows the area chosen; a city-wide one is drawn as it is.
            where = "$area" if main.get("perArea") else "all"
            targets.append(target(f'mwp_measure_target{{measure="{n}", indicator="{name}", area="{where}", year="$year"}}',
                                  "target 目标", "B"))
        panels.append(panel(pid, title, "timeseries", targets, (pid % 2) * 12, y, 12, 7))
        if pid % 2:
            y += 7
        pid += 1
    # The coverage promises (MEASURES.md, "Coverage"): each ratio beside its target, per area,
    # two to a row below the measures.
    y += 7 * (pid % 2 == 1)
    ratios = [(m["number"], i) for m in catalogue["measures"] for i in m["indicators"] if i["name"] in COVERAGE]
    for k, (n, i) in enumerate(ratios):
        name = i["name"]
        targets = [target(f'mwp_measure_value{{measure="{n}", indicator="{name}", area="$area", year="$year"}}',
                          "coverage 覆盖率", "A")]
        if "target" in i:
            targets.append(target(f'mwp_measure_target{{measure="{n}", indicator="{name}", area="all", year="$year"}}',
                                  "target 目标", "B"))
        panels.append(panel(pid + k, f'覆盖率 Coverage {n}. {i["titleZh"]} {i["titleEn"]}', "timeseries", targets,
                            (k % 2) * 12, y + (k // 2) * 7, 12, 7))
    return dashboard("mwp-overview", "农民工服务保障三十条措施 · Programme overview", panels,
                     variables(*YEAR_AREA), ["measures"])


def rights():
    q = lambda ind, m='20|21|22': f'mwp_measure_value{{measure=~"{m}", indicator="{ind}", area="$area", year="$year"}}'
    panels = [
        panel(1, "在办案件 Cases open (by measure)", "timeseries", [target(q("cases_open"), "measure {{measure}}")], 0, 0),
        panel(2, "超期案件 Cases past a legal deadline", "timeseries", [target(q("cases_overdue"), "measure {{measure}}")], 12, 0),
        panel(3, "办结天数中位数 Median days to resolve (wage claims) and close (disputes)", "timeseries",
              [target(q("median_days_to_resolve", "20"), "wage claims 欠薪"), target(q("median_days_to_close", "21"), "disputes 争议", "B")], 0, 8),
        panel(4, "追回金额 Wages claimed and recovered (yuan)", "timeseries",
              [target(q("yuan_claimed", "20"), "claimed 涉及"), target(q("yuan_recovered", "20"), "recovered 追回", "B")], 12, 8),
        panel(5, "政府投资工程新增欠薪 New arrears on government-invested projects (target 0)", "stat",
              [target(q("government_project_arrears", "20"), "")], 0, 16),
        panel(6, "超期办结环节 Stages done late", "timeseries", [target(q("stages_late"), "measure {{measure}}")], 12, 16),
    ]
    return dashboard("mwp-rights", "权益维护 · Rights: wage claims, disputes, legal aid", panels,
                     variables(*YEAR_AREA), ["rights"])


def wages():
    """Measure 20, wage payment at the source, as the provincial monitoring platforms show it
    (农民工工资支付监控预警平台): where the warnings are and of which rule, the projects still
    without a wage account (条例 art. 26), the workers unpaid past the payday (arts. 11–12)."""
    q = lambda ind, area='area="$area"', op="=": \
        f'mwp_measure_value{{measure="20", indicator{op}"{ind}", {area}, year="$year"}}'
    by_area = 'area!="all"'
    rules = "warnings_open_.+"  # the eight rules' open warnings, one indicator each
    # An area whose projects all lack an account has no projects_with_wage_account: 0 there.
    with_account = f'({q("projects_with_wage_account", by_area)} or on(area, year) {q("projects_monitored", by_area)} * 0)'
    panels = [
        panel(1, "未消除预警 Open warnings, yellow and red", "timeseries",
              [target(q("warnings_yellow_open"), "yellow 黄色"), target(q("warnings_red_open"), "red 红色", "B")], 0, 0),
        panel(2, "有红色预警的政府投资项目 Government-invested projects with a red warning (target 0)", "stat",
              [target(q("government_projects_red_open"), "")], 12, 0, 6, 8),
        panel(3, "政府投资工程新增欠薪 New arrears on government-invested projects (target 0)", "stat",
              [target(q("government_project_arrears"), "")], 18, 0, 6, 8),
        panel(4, "按区县和规则 Open warnings by area and rule", "table",
              [target(f'sum by (area, indicator) ({q(rules, by_area, "=~")})', "{{area}} {{indicator}}")],
              0, 8, 12, 10, options={"showHeader": True}),
        panel(5, "按规则 Open warnings by rule", "bargauge",
              [target(q(rules, op="=~"), "{{indicator}}")],
              12, 8, 12, 10, options={"orientation": "horizontal"}),
        panel(6, "未开设工资专用账户的项目 Projects without a wage account, by area", "bargauge",
              [target(f'{q("projects_monitored", by_area)} - on(area, year) {with_account}',
                      "{{area}}")],
              0, 18, 12, 8, options={"orientation": "horizontal"}),
        panel(7, "被欠薪的农民工 Workers unpaid past the payday, and workers enrolled", "timeseries",
              [target(q("workers_unpaid"), "unpaid 被欠薪"), target(q("workers_enrolled"), "enrolled 实名登记", "B")], 12, 18),
        panel(8, "被欠薪的农民工（按区县）Workers unpaid, by area", "bargauge",
              [target(q("workers_unpaid", by_area), "{{area}}")], 0, 26, 12, 8, options={"orientation": "horizontal"}),
        panel(9, "纳入监控的项目 Projects monitored and with a wage account", "timeseries",
              [target(q("projects_monitored"), "monitored 纳入监控"),
               target(q("projects_with_wage_account"), "with a wage account 已开户", "B")], 12, 26),
    ]
    return dashboard("mwp-wages", "工资支付监控 Wage payment monitoring", panels,
                     variables(*YEAR_AREA), ["rights", "wages"])


def employment():
    q = lambda m, ind: f'mwp_measure_value{{measure="{m}", indicator="{ind}", area="$area", year="$year"}}'
    panels = [
        panel(1, "专场招聘会 Job fairs by campaign", "timeseries",
              [target(q(1, "fairs_held"), "all 全部"), target(q(1, "spring_campaign_fairs"), "春风行动/民营企业招聘周", "B"),
               target(q(1, "countryside_fairs"), "送岗位下乡", "C")], 0, 0),
        panel(2, "培训农民工 Workers trained (target 10,000)", "timeseries",
              [target(q(4, "trained"), "trained 培训"), target('mwp_measure_target{measure="4", indicator="trained", year="$year"}', "target 目标", "B")], 12, 0),
        panel(3, "技能提升补贴 Skill-upgrade subsidies", "timeseries",
              [target(q(4, "subsidies_granted"), "granted 发放"), target(q(4, "subsidies_denied"), "denied 不予", "B")], 0, 8),
        panel(4, "应贷尽贷 Guarantee loans approved ÷ eligible", "stat", [target(q(10, "loan_ratio"), "")], 12, 8),
        panel(5, "实名制登记 Registry: registered and stale", "timeseries",
              [target(q(2, "workers_registered"), "registered 登记"), target(q(2, "records_stale"), "stale 超季未更新", "B")], 0, 16),
        panel(6, "社保卡应发尽发 Insured workers holding a card ÷ insured workers", "stat", [target(q(16, "card_coverage"), "")], 12, 16),
    ]
    return dashboard("mwp-employment", "就业服务 · Employment: fairs, training, subsidies", panels,
                     variables(*YEAR_AREA), ["employment"])


def county():
    """Each county and park accountable for its own share (措施二十九, 层层分解任务): the area's own
    targets, the coverage ratios the catalogue marks (`"coverage": true`), its reporting by quarter
    (DHIS2's completeness and timeliness), its overdue cases and red wage warnings. The `area`
    variable lists the counties and parks only: the city's figures are on the overview."""
    sel = 'area="$area", year="$year"'
    coverage = "|".join(i["name"] for m in catalogue["measures"] for i in m["indicators"] if i.get("coverage"))
    reporting = lambda status: f'sum by (quarter) (mwp_measure_reporting{{measure="all", {sel}, status="{status}"}})'
    panels = [
        panel(1, "本地区目标完成进度 The area's own targets: value ÷ target", "bargauge",
              [target(f"mwp:measure_progress:ratio{{{sel}}}", "{{measure}} {{indicator}}")], 0, 0, 12, 10,
              options={"orientation": "horizontal"}, fieldConfig={"defaults": {"unit": "percentunit", "max": 1}}),
        panel(2, "本地区目标 The area's own targets: value and target", "table",
              [target(f"mwp_measure_value{{{sel}}} and on(measure, indicator, area, year) mwp_measure_target{{{sel}}}",
                      "{{measure}} {{indicator}} value"),
               target(f"mwp_measure_target{{{sel}}}", "{{measure}} {{indicator}} target", "B")],
              12, 0, 12, 10, options={"showHeader": True}),
        panel(3, "报送完整率（按季度）Reporting completeness by quarter: measures reported ÷ owed", "bargauge",
              [target(f'{reporting("reported")} / {reporting("expected")}', "Q{{quarter}}")], 0, 10, 12, 8,
              fieldConfig={"defaults": {"unit": "percentunit", "max": 1}}),
        panel(4, "报送及时率（按季度）Reporting timeliness by quarter: on time ÷ owed", "bargauge",
              [target(f'{reporting("on_time")} / {reporting("expected")}', "Q{{quarter}}")], 12, 10, 12, 8,
              fieldConfig={"defaults": {"unit": "percentunit", "max": 1}}),
        panel(5, "上季度未报送的措施 Measures the area sent nothing for last quarter", "stat",
              [target('sum(mwp_measure_area_silent{area="$area"})', "")], 0, 18, 6, 6),
        # An area with no case or warning has no series of it: 0 there.
        panel(6, "超期案件 Rights cases past a legal deadline", "stat",
              [target(f'sum(mwp_measure_value{{indicator="cases_overdue", {sel}}}) or vector(0)', "")], 6, 18, 6, 6),
        panel(7, "未消除的红色工资预警 Red wage warnings open", "stat",
              [target(f'sum(mwp_measure_value{{measure="20", indicator="warnings_red_open", {sel}}}) or vector(0)', "")],
              12, 18, 6, 6),
        panel(8, "覆盖率 Coverage: served ÷ should be served", "bargauge",
              [target(f'mwp_measure_value{{indicator=~"{coverage}", {sel}}}', "{{measure}} {{indicator}}")],
              18, 18, 6, 6, fieldConfig={"defaults": {"unit": "percentunit", "max": 1}}),
    ]
    return dashboard("mwp-county", "区县记分卡 · County scorecard: own targets, reporting, cases", panels,
                     variables(("year", "年度 Year", "label_values(mwp_measure_value, year)"),
                               ("area", "区县/园区 Area", "label_values(mwp_measure_area_silent, area)")),
                     ["accountability"])


def health():
    panels = [
        panel(1, "进程 Processes up", "stat", [target('up{job=~"mwp-.*"}', "{{component}}")], 0, 0, 24, 5),
        panel(2, "服务处理事件 Events applied / refused per second", "timeseries",
              [target('sum by (service, outcome) (rate(mwp_service_events_total[5m]))', "{{service}} {{outcome}}")], 0, 5),
        panel(3, "服务延迟 Lag behind the bus (events)", "timeseries",
              [target("mwp:service_lag_events:sum", "{{service}}")], 12, 5),
        panel(4, "总线 Bus answers per second", "timeseries",
              [target('sum by (outcome) (rate(mwp_bus_events_total[5m]))', "{{outcome}}")], 0, 13),
        panel(5, "总线批处理 Bus batch time p99 (s)", "timeseries",
              [target('histogram_quantile(0.99, sum by (le) (rate(mwp_bus_batch_seconds_bucket[5m])))', "p99")], 12, 13),
        panel(6, "网关 Gateway requests per second by route and code", "timeseries",
              [target('sum by (route, code) (rate(mwp_gateway_requests_total[5m]))', "{{route}} {{code}}")], 0, 21),
        panel(7, "Redis 故障 Redis faults (bus and services)", "timeseries",
              [target('sum(rate(mwp_bus_redis_faults_total[5m])) + sum(rate(mwp_service_faults_total[5m]))', "faults")], 12, 21),
        panel(8, "网关缓存 Gateway: worker sections kept (hit) or asked (miss), per second", "timeseries",
              [target('sum by (outcome) (rate(mwp_gateway_section_cache_total[5m]))', "{{outcome}}")], 0, 29),
        panel(9, "逐条读取 State reads not read ahead with their batch, per second (each stalls a catch-up)",
              "timeseries",
              [target('sum by (service) (rate(mwp_service_reads_one_by_one_total[5m]))', "{{service}}")], 12, 29),
    ]
    return dashboard("mwp-service-health", "运行状况 · Service health: RED, lag, bus, Redis", panels,
                     variables(), ["operations"])


for name, d in {"overview": overview(), "rights": rights(), "wages": wages(),
                "employment": employment(), "county": county(), "service-health": health()}.items():
    with open(os.path.join(ROOT, "dashboards", f"{name}.json"), "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False, indent=1)
        f.write("\n")
