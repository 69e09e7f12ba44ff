"""Form posts for each step of the default spec, as an applicant would type them."""

CREDIT_CODE = "91330109MA2B00000X"  # fixed below to a valid check character
RESIDENT_ID = "11010519491231002X"


def _valid_credit_code():
    from app.specs.identifiers import uscc_check_char

    base = "91330109MA2B0000"
    base = base + "0"
    return base + uscc_check_char(base)


def domestic_steps():
    """Step id → form data for a district filing by a domestic enterprise."""
    return {
        "enterprise": {
            "enterprise_name": "杭州示例科技有限公司",
            "credit_code": _valid_credit_code(),
            "registration_type": "llc",
            "ownership": "domestic",
            "legal_rep_name": "王五",
            "legal_rep_id_type": "resident_id",
            "legal_rep_id": RESIDENT_ID,
            "contact_name": "张三",
            "contact_mobile": "13812345678",
            "contact_email": "zhangsan@example.com",
            "project_leader_name": "李四",
            "project_leader_mobile": "13912345678",
            "registered_address": "杭州市萧山区北干街道金城路1号",
            "registered_capital_wan": "1000",
        },
        "project": {
            "project_name": "年产10万台智能电机技改项目",
            "construction_nature": "renovation",
            "project_type": "industrial",
            "industry": "3812",
            "town": "beigan_jiedao",
            "site_address": "萧山经济技术开发区桥南区块",
            "boundary_east": "规划支路",
            "boundary_south": "桥南路",
            "boundary_west": "杭州某某机械有限公司",
            "boundary_north": "河道",
            "location_scope": "within_district",
            "scale_content": "改造现有厂房12000平方米，新增自动化生产线2条。",
            "products-0-name": "智能电机",
            "products-0-capacity": "100000",
            "products-0-unit": "台",
            "land_area_m2": "20000",
            "new_land": "no",
            "land_source": "transfer",
            "land_contract_no": "3301092019A21045",
            "standard_land": "yes",
            "commitment_system": "no",
            "floor_area_m2": "12000",
            "new_floor_above_m2": "0",
            "new_floor_under_m2": "0",
            "necessity": "市场对高效智能电机需求快速增长，现有产线自动化程度低，技改后可提升效率并降低能耗。",
        },
        "investment": {
            "building_cost_wan": "1200",
            "equipment_cost_wan": "3000",
            "installation_cost_wan": "300",
            "other_cost_wan": "200",
            "contingency_wan": "150",
            "interest_wan": "50",
            "working_capital_wan": "100",
            "funding_sources-0-source": "own_funds",
            "funding_sources-0-amount_wan": "3000",
            "funding_sources-1-source": "bank_loan",
            "funding_sources-1-amount_wan": "2000",
        },
        "schedule": {"planned_start": "2027-03", "planned_completion": "2028-06"},
        "resources": {"energy_tce": "800", "electricity_wan_kwh": "300", "water_t": "5000",
                      "eia_category": "registration"},
        "policy": {"industrial_policy": "encouraged", "overcapacity_industry": "no", "catalogue_item": "none",
                   "gov_investment": "no"},
        "declarations": {"policy_compliance": "y", "energy_commitment": "y", "truthfulness": "y"},
    }


def foreign_steps():
    steps = domestic_steps()
    steps["enterprise"].update(ownership="foreign", foreign_share="60")
    steps["foreign_investment"] = {
        "foreign_investor_name": "Example Holdings Ltd.",
        "foreign_investor_country": "新加坡",
        "total_investment_usd_wan": "700",
        "negative_list": "none",
    }
    return steps


STEP_ORDER = ["enterprise", "project", "investment", "foreign_investment", "schedule", "resources", "policy",
              "declarations"]


def examination_steps():
    """A district government-funded project (审批): it needs papers to apply — the
    business licence and the project proposal — which a 备案 never does."""
    steps = domestic_steps()
    steps["policy"].update(gov_investment="yes", gov_budget_level="district")
    return steps
