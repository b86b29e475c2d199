//! The page's own words in English and Korean. The language comes from `?lang=`, else a choice
//! saved earlier, else the browser's `navigator.language`; a switch changes it.

pub use kubeplay_lessons::scenario::Lang;

/// Every UI string the lesson, share and embed parts show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Lesson,
    Lessons,
    Step,
    Of,
    Hint,
    NextHint,
    NoMoreHints,
    ShowSolution,
    Checks,
    Passed,
    NotYet,
    Expected,
    Got,
    Prev,
    Next,
    Done,
    LessonComplete,
    Share,
    LinkCopied,
    LinkInAddressBar,
    Characters,
    Reset,
    ResetConfirm,
    ResetDone,
    BadLink,
    BadSave,
    Restored,
    KeptState,
    Dismiss,
    Language,
    Free,
    Export,
}

pub fn t(lang: Lang, m: Msg) -> &'static str {
    use Msg::*;
    match lang {
        Lang::En => match m {
            Lesson => "Lesson",
            Lessons => "Lessons",
            Step => "Step",
            Of => "of",
            Hint => "Hint",
            NextHint => "Show a hint",
            NoMoreHints => "No more hints",
            ShowSolution => "Show the solution",
            Checks => "Checks",
            Passed => "passed",
            NotYet => "not yet",
            Expected => "expected",
            Got => "got",
            Prev => "Previous",
            Next => "Next",
            Done => "done",
            LessonComplete => "Lesson complete. Well done!",
            Share => "Share",
            LinkCopied => "Link copied to the clipboard",
            LinkInAddressBar => "The link is in the address bar",
            Characters => "characters",
            Reset => "Reset",
            ResetConfirm => "Reset the playground? Your commands, files and cluster will be lost.",
            ResetDone => "The playground was reset.",
            BadLink => "This link could not be opened",
            BadSave => "The saved session could not be restored",
            Restored => "Your last session was restored.",
            KeptState => "Nothing was run; your last state is kept.",
            Dismiss => "Dismiss",
            Language => "Language",
            Free => "Free playground",
            Export => "Export for a real cluster",
        },
        Lang::Ko => match m {
            Lesson => "레슨",
            Lessons => "레슨 목록",
            Step => "단계",
            Of => "/",
            Hint => "힌트",
            NextHint => "힌트 보기",
            NoMoreHints => "힌트가 더 없습니다",
            ShowSolution => "정답 보기",
            Checks => "확인 항목",
            Passed => "통과",
            NotYet => "아직",
            Expected => "기대값",
            Got => "실제값",
            Prev => "이전",
            Next => "다음",
            Done => "완료",
            LessonComplete => "레슨을 모두 마쳤습니다. 잘했어요!",
            Share => "공유",
            LinkCopied => "링크를 클립보드에 복사했습니다",
            LinkInAddressBar => "주소창에 링크가 있습니다",
            Characters => "자",
            Reset => "초기화",
            ResetConfirm => {
                "플레이그라운드를 초기화할까요? 입력한 명령, 파일, 클러스터가 모두 사라집니다."
            }
            ResetDone => "플레이그라운드를 초기화했습니다.",
            BadLink => "이 링크를 열 수 없습니다",
            BadSave => "저장된 세션을 복원할 수 없습니다",
            Restored => "지난 세션을 복원했습니다.",
            KeptState => "아무것도 실행하지 않았고, 마지막 상태를 유지합니다.",
            Dismiss => "닫기",
            Language => "언어",
            Free => "자유 실습",
            Export => "실제 클러스터용 스크립트",
        },
    }
}

/// The language to start in: an explicit `?lang=`, else a saved choice, else the browser's.
pub fn initial(query: Option<Lang>, saved: Option<&str>, navigator: &str) -> Lang {
    query
        .or_else(|| saved.map(Lang::from_tag))
        .unwrap_or_else(|| Lang::from_tag(navigator))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        use Msg::*;
        for m in [
            Lesson,
            Lessons,
            Step,
            Of,
            Hint,
            NextHint,
            NoMoreHints,
            ShowSolution,
            Checks,
            Passed,
            NotYet,
            Expected,
            Got,
            Prev,
            Next,
            Done,
            LessonComplete,
            Share,
            LinkCopied,
            LinkInAddressBar,
            Characters,
            Reset,
            ResetConfirm,
            ResetDone,
            BadLink,
            BadSave,
            Restored,
            KeptState,
            Dismiss,
            Language,
            Free,
            Export,
        ] {
            assert!(!t(Lang::En, m).is_empty());
            assert!(!t(Lang::Ko, m).is_empty());
        }
    }

    #[test]
    fn language_choice_order() {
        assert_eq!(initial(None, None, "ko-KR"), Lang::Ko);
        assert_eq!(initial(None, None, "en-GB"), Lang::En);
        assert_eq!(initial(None, Some("en"), "ko-KR"), Lang::En);
        assert_eq!(initial(Some(Lang::Ko), Some("en"), "en-US"), Lang::Ko);
    }
}
