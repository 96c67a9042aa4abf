"""Lists in Vietnamese alphabetical order."""
from motcua.common.collation import sort_key


def test_letters_of_their_own_follow_their_base_letter():
    words = ["Đồng", "Dương", "An", "Ăn", "Âm", "Bắc", "Ô tô", "Ơn", "Ông", "Ước", "Uống", "Xã", "Zê"]
    assert sorted(words, key=sort_key) == ["An", "Ăn", "Âm", "Bắc", "Dương", "Đồng", "Ô tô", "Ông", "Ơn", "Uống",
                                           "Ước", "Xã", "Zê"]


def test_tones_decide_only_between_otherwise_equal_words():
    assert sorted(["mạ", "má", "mã", "mả", "mà", "ma"], key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(["bà", "ba", "bác"], key=sort_key) == ["ba", "bà", "bác"]


def test_communes_sort_as_a_vietnamese_reader_expects():
    names = ["Phường Võ Cường", "Phường Đáp Cầu", "Phường Kinh Bắc", "Xã Đại Đồng", "Xã Âu Cơ", "Xã An Thịnh"]
    assert sorted(names, key=sort_key) == ["Phường Đáp Cầu", "Phường Kinh Bắc", "Phường Võ Cường", "Xã An Thịnh",
                                           "Xã Âu Cơ", "Xã Đại Đồng"]
