import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from catalog.models import Standard
from registry.models import Node, Placement


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
            if extracted == "admin":
                self.is_staff = self.is_superuser = True
                self.save()


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard

    number = factory.Sequence(lambda n: f"Q/TEST {n + 1:03d}-2024")
    title = factory.Sequence(lambda n: f"测试标准 {n}")


def build_tree(root_name="测试体系", subsystems=3, categories=4, aspects=10):
    """A tree of 1 + s + s*c + s*c*a nodes with default codes."""
    from registry.codes import child_code

    add = Node.objects.add_child
    root = Node.objects.add_root(instance=Node(name=root_name, code="0", organization="测试"))
    for s in range(1, subsystems + 1):
        sub = add(root, instance=Node(name=f"子体系{s}", code=child_code("0", 1, s)))
        for c in range(1, categories + 1):
            cat = add(sub, instance=Node(name=f"类别{s}-{c}", code=child_code(sub.code, 2, c)))
            for a in range(1, aspects + 1):
                add(cat, instance=Node(name=f"方面{s}-{c}-{a}", code=child_code(cat.code, 3, a)))
    return Node.objects.get(pk=root.pk)


def place(node, standard):
    return Placement.objects.create(node=node, standard=standard)
