//! Reference data (lookup tables) with the ids the wire contract and the payment code rely on.
//! This is the single source of the seed: both table adapters are seeded from [`seed_rows`].

use serde_json::{Value, json};

use crate::regions::{PROVINCES, STANDALONE, WHOLE_PROVINCE};

pub const SIGN_UP_TYPES: &[(i64, &str)] = &[(1, "KAKAO"), (2, "GOOGLE"), (3, "NAVER")];

/// `(id, name, description, required)`; names are the keys of the sign-up body.
pub const REGISTER_CONSENTS: &[(i64, &str, &str, bool)] = &[
    (1, "termsOfService", "서비스 이용약관 동의", true),
    (2, "talk", "개인정보 수집 및 이용 동의", true),
    (3, "email", "이메일 수신 동의", false),
    (4, "marketingChannelTalk", "마케팅 정보 채널톡 수신 동의", false),
    (5, "marketingEmail", "마케팅 정보 이메일 수신 동의", false),
];

pub const DANCE_CATEGORIES: &[(i64, &str)] = &[
    (1, "K-pop"),
    (2, "브레이킹"),
    (3, "팝핑"),
    (4, "락킹"),
    (5, "왁킹"),
    (6, "힙합"),
    (7, "하우스"),
    (8, "크럼프"),
    (9, "보깅"),
    (10, "코레오그래피"),
    (11, "키즈댄스"),
    (12, "기타"),
];

pub const LECTURE_METHODS: &[(i64, &str)] = &[(1, "원데이"), (2, "정기")];
pub const LECTURE_TYPES: &[(i64, &str)] = &[(1, "dance")];

pub const PAYMENT_STATUSES: &[(i64, &str)] = &[
    (1, "READY"),
    (2, "IN_PROGRESS"),
    (3, "CANCELED"),
    (4, "WAITING_FOR_DEPOSIT"),
    (5, "PARTIAL_CANCELED"),
    (6, "DONE"),
    (7, "ABORTED"),
    (8, "EXPIRED"),
    (9, "REFUSED"),
];
pub const PAYMENT_METHODS: &[(i64, &str)] =
    &[(1, "카드"), (2, "가상계좌"), (3, "패스권"), (4, "현장결제"), (5, "선결제")];
pub const PAYMENT_PRODUCT_TYPES: &[(i64, &str)] = &[(1, "클래스"), (2, "패스권")];
pub const REFUND_STATUSES: &[(i64, &str)] = &[
    (1, "NONE"),
    (2, "PENDING"),
    (3, "FAILED"),
    (4, "PARTIAL_FAILED"),
    (5, "COMPLETED"),
    (6, "USER_PENDING"),
    (7, "LECTURER_PENDING"),
];

/// `(id, name, description)`
pub const REPORT_TYPES: &[(i64, &str, &str)] = &[
    (1, "FALSE_INFORMATION", "허위 정보"),
    (2, "COPYRIGHT_INFRINGEMENT", "저작권 침해"),
    (3, "INAPPROPRIATE_PHOTO", "부적절한 사진"),
    (4, "INAPPROPRIATE_CONTENT", "부적절한 내용"),
    (5, "OTHER", "기타"),
];

/// Toss Payments bank and securities codes: `(code, name, kftCode, enCode)`.
pub const BANKS: &[(&str, &str, &str, &str)] = &[
    ("39", "경남은행", "039", "KYONGNAMBANK"),
    ("34", "광주은행", "034", "GWANGJUBANK"),
    ("12", "단위농협", "012", "LOCALNONGHYEOP"),
    ("32", "부산은행", "032", "BUSANBANK"),
    ("45", "새마을금고", "045", "SAEMAUL"),
    ("64", "산림조합", "064", "SANLIM"),
    ("88", "신한은행", "088", "SHINHAN"),
    ("48", "신협", "048", "SHINHYEOP"),
    ("27", "씨티은행", "027", "CITI"),
    ("20", "우리은행", "020", "WOORI"),
    ("71", "우체국예금보험", "071", "POST"),
    ("50", "저축은행중앙회", "050", "SAVINGBANK"),
    ("37", "전북은행", "037", "JEONBUKBANK"),
    ("35", "제주은행", "035", "JEJUBANK"),
    ("90", "카카오뱅크", "090", "KAKAOBANK"),
    ("89", "케이뱅크", "089", "KBANK"),
    ("92", "토스뱅크", "092", "TOSSBANK"),
    ("81", "하나은행", "081", "HANA"),
    ("54", "홍콩상하이은행", "054", "HSBC"),
    ("03", "IBK기업은행", "003", "IBK"),
    ("06", "KB국민은행", "004", "KOOKMIN"),
    ("31", "DGB대구은행", "031", "DAEGUBANK"),
    ("02", "KDB산업은행", "002", "KDBBANK"),
    ("11", "NH농협은행", "011", "NONGHYEOP"),
    ("23", "SC제일은행", "023", "SC"),
    ("07", "Sh수협은행", "007", "SUHYEOP"),
    ("S8", "교보증권", "261", "KYOBO_SECURITIES"),
    ("SE", "대신증권", "267", "DAISHIN_SECURITIES"),
    ("SK", "메리츠증권", "287", "MERITZ_SECURITIES"),
    ("S5", "미래에셋증권", "238", "MIRAE_ASSET_SECURITIES"),
    ("SM", "부국증권", "290", "BOOKOOK_SECURITIES"),
    ("S3", "삼성증권", "240", "SAMSUNG_SECURITIES"),
    ("SN", "신영증권", "291", "SHINYOUNG_SECURITIES"),
    ("S2", "신한금융투자", "278", "SHINHAN_INVESTMENT"),
    ("S0", "유안타증권", "209", "YUANTA_SECURITIES"),
    ("SJ", "유진투자증권", "280", "EUGENE_INVESTMENT_AND_SECURITIES"),
    ("SQ", "카카오페이증권", "288", "KAKAOPAY_SECURITIES"),
    ("SB", "키움증권", "264", "KIWOOM"),
    ("ST", "토스증권", "271", "TOSS_SECURITIES"),
    ("SR", "펀드온라인코리아", "294", "KOREA_FOSS_SECURITIES"),
    ("SH", "하나금융투자", "270", "HANA_INVESTMENT_AND_SECURITIES"),
    ("S9", "하이투자증권", "262", "HI_INVESTMENT_AND_SECURITIES"),
    ("S6", "한국투자증권", "243", "KOREA_INVESTMENT_AND_SECURITIES"),
    ("SG", "한화투자증권", "269", "HANHWA_INVESTMENT_AND_SECURITIES"),
    ("SA", "현대차증권", "263", "HYUNDAI_MOTOR_SECURITIES"),
    ("SI", "DB금융투자", "279", "DB_INVESTMENT_AND_SECURITIES"),
    ("S4", "KB증권", "218", "KB_SECURITIES"),
    ("SP", "다올투자증권", "227", "DAOL_INVESTMENT_AND_SECURITIES"),
    ("SL", "NH투자증권", "247", "NH_INVESTMENT_AND_SECURITIES"),
    ("SD", "SK증권", "266", "SK_SECURITIES"),
    ("-", "토스머니", "-", "TOSS_MONEY"),
];

/// Toss Payments card company codes: `(code, name, enCode)`.
pub const CARDS: &[(&str, &str, &str)] = &[
    ("3K", "기업비씨", "IBK_BC"),
    ("46", "광주은행", "GWANGJUBANK"),
    ("71", "롯데카드", "LOTTE"),
    ("30", "KDB산업은행", "KDBBANK"),
    ("31", "BC카드", "BC"),
    ("51", "삼성카드", "SAMSUNG"),
    ("38", "새마을금고", "SAEMAUL"),
    ("41", "신한카드", "SHINHAN"),
    ("62", "신협", "SHINHYEOP"),
    ("36", "씨티카드", "CITI"),
    ("33", "우리BC카드", "WOORI_BC"),
    ("W1", "우리카드", "WOORI"),
    ("37", "우체국예금보험", "POST"),
    ("39", "저축은행중앙회", "SAVINGBANK"),
    ("35", "전북은행", "JEONBUKBANK"),
    ("42", "제주은행", "JEJUBANK"),
    ("15", "카카오뱅크", "KAKAOBANK"),
    ("3A", "케이뱅크", "KBANK"),
    ("24", "토스뱅크", "TOSSBANK"),
    ("21", "하나카드", "HANA"),
    ("61", "현대카드", "HYUNDAI"),
    ("11", "KB국민카드", "KOOKMIN"),
    ("91", "NH농협카드", "NONGHYEOP"),
    ("34", "Sh수협은행", "SUHYEOP"),
    ("6D", "다이너스 클럽", "DINERS"),
    ("6I", "디스커버", "DISCOVER"),
    ("4M", "마스터카드", "MASTER"),
    ("3C", "유니온페이", "UNIONPAY"),
    ("7A", "아메리칸 익스프레스", "AMEX"),
    ("4J", "JCB", "JCB"),
    ("4V", "VISA", "VISA"),
];

/// One region row: `(id, administrativeDistrict, district)`.
pub fn regions() -> Vec<(i64, &'static str, Option<&'static str>)> {
    let mut rows = Vec::new();
    for (province, districts) in PROVINCES {
        rows.push((*province, Some(WHOLE_PROVINCE)));
        rows.extend(districts.iter().map(|d| (*province, Some(*d))));
    }
    rows.extend(STANDALONE.iter().map(|s| (*s, None)));
    rows.into_iter().enumerate().map(|(i, (a, d))| (i as i64 + 1, a, d)).collect()
}

/// Every lookup row as `(kind, sort key, attributes)`. Integer ids sort as zero-padded keys so a
/// query of one kind returns rows in id order.
pub fn seed_rows() -> Vec<(&'static str, String, Value)> {
    fn id_key(id: i64) -> String {
        format!("{id:06}")
    }
    let mut rows = Vec::new();
    let named = |kind: &'static str, field: &'static str, table: &[(i64, &str)]| {
        table.iter().map(|(id, name)| (kind, id_key(*id), json!({"id": id, field: name}))).collect::<Vec<_>>()
    };
    rows.extend(named("SignUpType", "type", SIGN_UP_TYPES));
    rows.extend(named("DanceCategory", "genre", DANCE_CATEGORIES));
    rows.extend(named("LectureMethod", "name", LECTURE_METHODS));
    rows.extend(named("LectureType", "name", LECTURE_TYPES));
    rows.extend(named("PaymentStatus", "name", PAYMENT_STATUSES));
    rows.extend(named("PaymentMethod", "name", PAYMENT_METHODS));
    rows.extend(named("PaymentProductType", "name", PAYMENT_PRODUCT_TYPES));
    rows.extend(named("RefundStatus", "name", REFUND_STATUSES));
    rows.extend(REGISTER_CONSENTS.iter().map(|(id, name, description, required)| {
        let v = json!({"id": id, "name": name, "description": description, "required": required});
        ("RegisterConsent", id_key(*id), v)
    }));
    rows.extend(REPORT_TYPES.iter().map(|(id, name, description)| {
        let v = json!({"id": id, "name": name, "description": description});
        ("ReportType", id_key(*id), v)
    }));
    rows.extend(regions().into_iter().map(|(id, admin, district)| {
        let v = json!({"id": id, "administrativeDistrict": admin, "district": district});
        ("Region", id_key(id), v)
    }));
    rows.extend(BANKS.iter().map(|(code, name, kft, en)| {
        let v = json!({"code": code, "name": name, "kftCode": kft, "krCode": name, "enCode": en});
        ("Bank", code.to_string(), v)
    }));
    rows.extend(CARDS.iter().map(|(code, name, en)| {
        let v = json!({"code": code, "name": name, "krCode": name, "enCode": en});
        ("Card", code.to_string(), v)
    }));
    rows
}

pub fn sign_up_type_id(name: &str) -> Option<i64> {
    SIGN_UP_TYPES.iter().find(|(_, n)| *n == name).map(|(id, _)| *id)
}

pub fn sign_up_type_name(id: i64) -> Option<&'static str> {
    SIGN_UP_TYPES.iter().find(|(i, _)| *i == id).map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn region_ids_are_dense_and_stable() {
        let regions = regions();
        assert_eq!(regions[0], (1, "서울특별시", Some("전 지역")));
        assert_eq!(regions[1], (2, "서울특별시", Some("강남구")));
        let last = regions.last().unwrap();
        assert_eq!((last.1, last.2), ("온라인", None));
        assert!(regions.iter().enumerate().all(|(i, r)| r.0 == i as i64 + 1));
        // 228 districts, a whole-province row for each of the 16 provinces, Sejong and online.
        assert_eq!(regions.len(), 228 + 16 + 2);
    }

    #[test]
    fn seed_keys_are_unique_per_kind() {
        let rows = seed_rows();
        let keys: HashSet<_> = rows.iter().map(|(k, sk, _)| (*k, sk.clone())).collect();
        assert_eq!(keys.len(), rows.len());
        assert_eq!(rows.iter().filter(|r| r.0 == "Bank").count(), 51);
    }

    #[test]
    fn payment_lookups_keep_the_hard_coded_ids() {
        assert_eq!(PAYMENT_STATUSES[5], (6, "DONE"));
        assert_eq!(PAYMENT_METHODS[2], (3, "패스권"));
        assert_eq!(sign_up_type_id("NAVER"), Some(3));
        assert_eq!(sign_up_type_name(2), Some("GOOGLE"));
    }
}
